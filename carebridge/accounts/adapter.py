"""How allauth fits Carebridge: no open sign-up, and every sign-in and sign-out audited."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.http import HttpRequest, HttpResponse

from carebridge.accounts import services


class PortalAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Patients enrol with an activation code from their clinic; nobody signs up cold.
        return False

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        services.record_sign_in(request=request, user=user)
        return super().post_login(request, user, **kwargs)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        services.record_sign_in_failure(request=request)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth reads the request from a context variable that lives only while the request
        # is being handled; mail queued with transaction.on_commit can go out after that (an
        # outer transaction, or tests), so fall back to the request this adapter was made for.
        if allauth_context.request is None and self.request is not None:
            with allauth_context.request_context(self.request):
                super().send_mail(template_prefix, email, context)
            return
        super().send_mail(template_prefix, email, context)

    def logout(self, request: HttpRequest) -> None:
        if request.user.is_authenticated:
            services.record_sign_out(request=request, user=request.user)
        super().logout(request)
