"""Sign-in steps the account tests share: the real forms, re-authentication, TOTP codes."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from carebridge.testing.factories import TEST_PASSWORD

LOGIN_URL = "/account/login/"


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The code an authenticator app shows for `secret` at time `at` (now by default)."""
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def wrong_totp_code(secret: str) -> str:
    """A well-formed code that no clock drift allowed by allauth would accept now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    tolerance = mfa_settings.TOTP_TOLERANCE
    accepted = {
        format_hotp_value(hotp_value(secret, counter + shift))
        for shift in range(-tolerance, tolerance + 1)
    }
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD, **extra: str):
    return client.post(LOGIN_URL, {"login": email, "password": password, **extra})


def reauthenticate(client: Client, password: str = TEST_PASSWORD):
    """Confirm the password again, as allauth asks before sensitive changes."""
    response = client.post("/account/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response
