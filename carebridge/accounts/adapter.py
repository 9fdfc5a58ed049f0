"""How allauth fits Carebridge: no open sign-up, and every sign-in and sign-out audited."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from carebridge.accounts import limits, services
from carebridge.accounts.checklist_services import take_first_landing
from carebridge.accounts.devices import remember_device
from carebridge.accounts.languages import in_language_of_address
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import queue_notice

_SIGNING_IN = "_carebridge_signing_in"


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Patients enrol with an activation code from their clinic; nobody signs up cold.
        return False

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        services.record_sign_in(request=request, user=user)
        # Tells `get_login_redirect_url` that this is a sign-in happening now, not a signed-in
        # person opening the sign-in page (which allauth also sends where a sign-in would go).
        setattr(request, _SIGNING_IN, True)
        response = super().post_login(request, user, **kwargs)
        # This browser is now known to the account: it keeps its own failure count from here on.
        remember_device(request, response, account_id=user.pk)
        return response

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Where a sign-in without a `next` address goes: the first-visit checklist, once, for
        a patient's first sign-in; else the home page (which leads a caregiver-only account to
        choosing whose account to open). allauth honours `next` before asking here."""
        user = request.user
        signing_in = getattr(request, _SIGNING_IN, False)
        if signing_in and user.is_authenticated and take_first_landing(user=user):
            return reverse("accounts:welcome")
        return super().get_login_redirect_url(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Replaces allauth's per-e-mail `login_failed` limit, which let anyone who knows an
        # address lock its owner out (see carebridge.accounts.limits and docs/adr/0005).
        attempt = limits.take_sign_in_attempt(request, login=str(credentials.get("email", "")))
        if attempt is None:
            raise self.validation_error("too_many_login_attempts")
        self._sign_in_attempt = attempt

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        attempt: limits.Attempt | None = getattr(self, "_sign_in_attempt", None)
        # A right password was not a guess: it does not count against anyone.
        if user is not None and attempt is not None:
            attempt.give_back()
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        services.record_sign_in_failure(request=request)

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth calls this after a successful password reset, to lift its per-e-mail lock.
        limits.forget_unknown_browser_failures(login=str(credentials.get("email", "")))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's e-mail as allauth does, then write it to the outbox instead of
        sending it, in the caller's transaction: a mail relay that is down delays the e-mail
        (security notice, new sign-in, verification, password reset) and never fails the page.

        Privacy rule: the outbox clears the body (it may hold a reset link) once it is sent."""
        # allauth reads the request from a context variable that lives only while the request
        # is being handled; fall back to the request this adapter was made for.
        if allauth_context.request is None and self.request is not None:
            with allauth_context.request_context(self.request):
                self._queue_mail(template_prefix, email, context)
            return
        self._queue_mail(template_prefix, email, context)

    def _queue_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        }
        # In the language the account holder chose, whoever (or whatever) caused the e-mail.
        with in_language_of_address(email):
            message = self.render_mail(template_prefix, email, {**full_context, **context})
        queue_notice(
            kind=_notice_kind(template_prefix),
            address=email,
            subject=str(message.subject),
            body=str(message.body),
        )

    def logout(self, request: HttpRequest) -> None:
        if request.user.is_authenticated:
            services.record_sign_out(request=request, user=request.user)
        super().logout(request)


def _notice_kind(template_prefix: str) -> NoticeKind:
    """Confirming an address sets an account up; every other allauth e-mail (password reset,
    a changed password or address, a sign-in from a new browser) is about its security."""
    if "email_confirmation" in template_prefix:
        return NoticeKind.ACCOUNT
    return NoticeKind.SECURITY
