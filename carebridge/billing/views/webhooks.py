"""The providers' webhooks: no session, no CSRF token (the provider's signature is the proof)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from carebridge.billing.providers import SignatureError
from carebridge.billing.services.webhooks import handle_webhook


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """400 when the signature does not verify (nothing changed); 200 otherwise, a replay too."""
    try:
        handle_webhook(provider, request.body, request.headers)
    except SignatureError:
        return HttpResponse(status=400)
    return HttpResponse(status=200)
