"""The test provider's hosted page: what a provider's card page does, with test cards only.

Anyone holding the checkout's reference (unguessable, like a provider's session address) may
open it, as with a real provider; it shows only the amount and the clinic's name. Paying or
being declined posts a signed event to the webhook handler in-process, the same code path a
real provider's webhook takes, then sends the payer back to Carebridge's return page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.billing.forms.pay_forms import TestCardForm
from carebridge.billing.models import Payment, PaymentStatus, Provider
from carebridge.billing.providers import built_in
from carebridge.billing.services.webhooks import handle_webhook
from carebridge.billing.views.paying import return_paths

_CARD_EVENTS = {
    built_in.PAYING_CARD: built_in.SUCCEEDED,
    built_in.DECLINED_CARD: built_in.FAILED,
}


@require_http_methods(["GET", "HEAD", "POST"])
def provider_test_page(request: HttpRequest, reference: str) -> HttpResponse:
    payment = (
        Payment.objects.filter(provider=Provider.TEST, provider_reference=reference)
        .select_related("clinic")
        .first()
    )
    if payment is None:
        raise Http404
    success_url, cancel_url = return_paths(payment)
    if payment.status != PaymentStatus.PENDING:
        return redirect(success_url)
    if request.method == "POST" and "cancel" in request.POST:
        return redirect(cancel_url)
    form = TestCardForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        event_type = _CARD_EVENTS.get(form.cleaned_data["card_number"])
        if event_type is not None:
            body = built_in.event_body(event_type, reference)
            handle_webhook("test", body, {built_in.SIGNATURE_HEADER: built_in.sign(body)})
            return redirect(success_url)
        form.add_error("card_number", _("Use one of the test cards shown above."))
    context = {"form": form, "payment": payment, "clinic": payment.clinic}
    return render(request, "billing/test_provider.html", context)
