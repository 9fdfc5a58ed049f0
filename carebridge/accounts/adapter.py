"""How allauth fits Carebridge: no open sign-up, and every sign-in and sign-out audited."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
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

    def logout(self, request: HttpRequest) -> None:
        if request.user.is_authenticated:
            services.record_sign_out(request=request, user=request.user)  # type: ignore[arg-type]
        super().logout(request)
