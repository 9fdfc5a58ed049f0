"""The demo's sign-ins: who can sign in to the demo clinic, and how their accounts are made."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress

from carebridge.accounts.models import User

# Generated patients this old or older get an enrolled account of their own.
OWN_ACCOUNT_FROM_AGE = 12
PATIENT_ROLE = "patient"


@dataclass(frozen=True)
class DemoSignIn:
    """An account someone can sign in to the demo with (all share the demo password)."""

    role: str
    name: str
    email: str


def upsert_user(*, email: str, given_name: str, family_name: str, password: str) -> User:
    """The demo account for `email`, with a verified address and the demo password."""
    user, _ = User.objects.get_or_create(email=email)
    user.first_name, user.last_name, user.is_active = given_name, family_name, True
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
