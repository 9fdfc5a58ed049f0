"""Session limits (idle and absolute) and the rule that staff, and chosen patients, use MFA."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from carebridge.accounts.activity import is_due
from carebridge.accounts.kept import has_two_step
from carebridge.accounts.languages import saved_language, set_language_cookie
from carebridge.accounts.services import LAST_SEEN_AT, SIGNED_IN_AT, record_sign_out

Handler = Callable[[HttpRequest], HttpResponse]


def _is_passive(request: HttpRequest) -> bool:
    """Requests that must not count as activity: the page's own check of the time left."""
    return request.path == reverse("accounts:session-status")


def _session_has_expired(request: HttpRequest, now: float) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT)
    last_seen_at = request.session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return False
    idle = now - float(last_seen_at) > settings.CAREBRIDGE_SESSION_IDLE_SECONDS
    too_long = now - float(signed_in_at) > settings.CAREBRIDGE_SESSION_ABSOLUTE_SECONDS
    return idle or too_long


class SessionLimitsMiddleware:
    """Sign out after the idle timeout or the absolute limit, whichever comes first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        if SIGNED_IN_AT not in request.session:
            request.session[SIGNED_IN_AT] = now
            request.session[LAST_SEEN_AT] = now
        if _session_has_expired(request, now):
            record_sign_out(request=request, user=request.user, reason="timeout")
            logout(request)
            if _is_passive(request) or request.headers.get("HX-Request"):
                return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
            return redirect(f"{reverse('account_login')}?timeout=1")
        # "Last seen" is written at most once a minute (a session save each time).
        if not _is_passive(request) and is_due(request.session.get(LAST_SEEN_AT), now):
            request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


BRAND_URL_PREFIX = "/brand/"


def _is_exempt(path: str) -> bool:
    exempt = [
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        reverse("accounts:session-status"),
        reverse("accounts:session-keepalive"),
        # Someone sent to set up two-step verification can still read it in their language.
        reverse("accounts:language-switch"),
        reverse("home:help"),
        settings.STATIC_URL,
        # The clinic's logo and colours, which the two-step set-up page shows too.
        BRAND_URL_PREFIX,
        # The FHIR API: apps call it with bearer tokens, never with the browser's session.
        "/fhir/",
    ]
    return any(path.startswith(prefix) for prefix in exempt)


def must_use_mfa(request: HttpRequest) -> bool:
    """Staff always (clinic staff, and anyone who may use the Django admin); patients when
    their clinic says so."""
    user = request.user
    if user.is_staff or user.is_superuser:
        return True
    acting = request.acting  # type: ignore[attr-defined]
    if acting.is_staff:
        return True
    return bool(acting.patient is not None and acting.patient.clinic.require_patient_mfa)


class RequireMFAMiddleware:
    """Send users who must have two-step verification to set it up before anything else."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not _is_exempt(request.path)
            and must_use_mfa(request)
            and not has_two_step(request.user)
        ):
            messages.warning(
                request,
                _("Your account needs two-step verification. Set it up to continue."),
            )
            return redirect("mfa_index")
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in person reads the language they saved, on any browser (LocaleMiddleware has
    already chosen from the language cookie or the browser's Accept-Language, which is what a
    signed-out visitor, or someone who never chose, gets). The browser's cookie is brought into
    line with the saved choice, so the sign-in page after signing out stays in that language."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = saved_language(request.user) if request.user.is_authenticated else ""
        if code:
            translation.activate(code)
            request.LANGUAGE_CODE = code
        response = self.get_response(request)
        if code and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != code:
            set_language_cookie(response, code)
        return response
