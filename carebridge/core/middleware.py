"""Middleware every request passes through: request ids, security headers, maintenance."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control

Handler = Callable[[HttpRequest], HttpResponse]
# Letters, digits, dots, underscores and hyphens only (a UUID fits, and so do the ids load
# balancers send), matched against the whole value: `$` alone would let a trailing newline through.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def is_well_formed_request_id(value: str) -> bool:
    """Whether `value` may be stored as a request id (see `_REQUEST_ID`)."""
    return _REQUEST_ID.fullmatch(value) is not None


class RequestIdMiddleware:
    """Give every request an id, taken from a trusted proxy's header when it is well formed.

    The id is written to audit events and returned in `X-Request-ID`, so a support call can be
    matched to the trail without anyone reading health information from logs.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if is_well_formed_request_id(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    Pages for a signed-in user may hold health information, so neither the browser's cache nor
    a shared proxy may keep them (the back button after sign-out must not show a record).
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class MaintenanceModeMiddleware:
    """Answer 503 with the maintenance page while CAREBRIDGE_MAINTENANCE_MODE is on."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.CAREBRIDGE_MAINTENANCE_MODE and not request.path.startswith(
            settings.STATIC_URL
        ):
            body = render_to_string("503.html", request=request)
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "600"
            return response
        return self.get_response(request)
