"""The device cookie: which accounts have signed in on this browser (OWASP's "device cookie").

A successful sign-in sets a signed, long-lived, HttpOnly cookie holding a random device id and
the ids of the accounts that signed in on this browser. A browser presenting a valid cookie for
an account is a "known device" for it: its failures are counted on their own, so someone who
knows only an e-mail address cannot lock its owner out (carebridge.accounts.limits).

The cookie holds no e-mail address and no health information: a random id and account numbers,
signed with the secret key so that it cannot be forged or edited.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponseBase

_SALT = "carebridge.accounts.device"
# A shared computer may know a few accounts (a parent's and a teenager's); the oldest drop off.
_ACCOUNTS_PER_DEVICE = 5


@dataclass(frozen=True)
class Device:
    """A browser that has signed in before: its random id and the accounts it signed in to."""

    id: str
    account_ids: tuple[int, ...]

    def knows(self, account_id: int | None) -> bool:
        return account_id is not None and account_id in self.account_ids


def _max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CAREBRIDGE_DEVICE_COOKIE_DAYS)


def read_device(request: HttpRequest) -> Device | None:
    """The browser's device cookie if it is present, signed by us and not expired; else None."""
    raw = request.COOKIES.get(settings.CAREBRIDGE_DEVICE_COOKIE_NAME)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=_max_age())
    except signing.BadSignature:
        return None
    device_id, account_ids = data.get("d"), data.get("a")
    if not isinstance(device_id, str) or not isinstance(account_ids, list):
        return None
    return Device(id=device_id, account_ids=tuple(int(pk) for pk in account_ids))


def remember_device(request: HttpRequest, response: HttpResponseBase, *, account_id: int) -> None:
    """Set (or renew) the device cookie after `account_id` signed in on this browser."""
    device = read_device(request)
    device_id = device.id if device else secrets.token_urlsafe(18)
    earlier = [pk for pk in (device.account_ids if device else ()) if pk != account_id]
    accounts = [account_id, *earlier][:_ACCOUNTS_PER_DEVICE]
    response.set_cookie(
        settings.CAREBRIDGE_DEVICE_COOKIE_NAME,
        signing.dumps({"d": device_id, "a": accounts}, salt=_SALT),
        max_age=int(_max_age().total_seconds()),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
