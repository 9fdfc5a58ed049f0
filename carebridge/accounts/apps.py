from typing import Any

from django.apps import AppConfig


def _on_mfa_authentication_failed(sender: Any, *, request: Any, user: Any, **kwargs: Any) -> None:
    from carebridge.accounts.services import record_second_step_failure

    record_second_step_failure(request=request, user=user)


class AccountsConfig(AppConfig):
    name = "carebridge.accounts"
    label = "accounts"

    def ready(self) -> None:
        # allauth reports a wrong two-step code only through this signal (its adapter has no
        # hook for it).
        from allauth.mfa.signals import authentication_failed

        from carebridge.accounts import kept

        authentication_failed.connect(
            _on_mfa_authentication_failed, dispatch_uid="carebridge.accounts.mfa_failed"
        )
        # Whether someone has two-step verification is kept between requests (ADR 0014).
        kept.connect()
