"""Limits on guessing passwords and two-step codes that slow the attacker, not the owner.

Following OWASP's device-cookie scheme, each failure is counted against
- the address (IP) it came from, and
- the account, when the browser is unknown to it (no device cookie naming the account), or
- the browser's own device cookie, when it is known to the account.
So an attacker who knows only an e-mail address can lock the account for unknown browsers, but
the owner's own browser (which has the device cookie from an earlier sign-in) still gets in,
while its own failures are limited per device. Reset e-mails follow the same split.

Every counter is in carebridge.lib.ratelimit (Redis or the database): shared by every worker and
server, and exact, because an attempt is counted before the password is checked and given back
only when it succeeds. Keys are digests; nothing here is written to the audit trail (the adapter
audits each failed sign-in itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest

from carebridge.accounts.devices import read_device
from carebridge.accounts.models import User
from carebridge.core.http import client_ip
from carebridge.lib import ratelimit

# (action, subject, limit, window in seconds)
_Counter = tuple[str, str, int, int]


@dataclass
class Attempt:
    """The attempts counted for one try; given back when the try succeeds."""

    taken: list[tuple[str, str]] = field(default_factory=list)

    def give_back(self) -> None:
        for action, subject in self.taken:
            ratelimit.give_back(action, subject)
        self.taken = []


def _take_all(counters: list[_Counter]) -> Attempt | None:
    """Count the try on every counter, or on none when one is used up."""
    attempt = Attempt()
    for action, subject, limit, window in counters:
        if not ratelimit.take(action, subject, limit=limit, window_seconds=window):
            attempt.give_back()
            return None
        attempt.taken.append((action, subject))
    return attempt


def _account_id(login: str) -> int | None:
    # Addresses are stored in lower case (UserManager), so the unique index answers this.
    email = login.strip().lower()
    return User.objects.filter(email=email).values_list("pk", flat=True).first()


def _account_subject(login: str, account_id: int | None) -> str:
    # An address with no account is counted like one with an account, so the replies match.
    return f"account:{account_id}" if account_id is not None else f"login:{login.strip().lower()}"


def _per_account_or_device(
    request: HttpRequest, step: str, *, login: str, account_id: int | None, limit: int, window: int
) -> _Counter:
    device = read_device(request)
    if device is not None and device.knows(account_id):
        per_device = settings.CAREBRIDGE_SIGN_IN_FAILURES_PER_DEVICE
        return (f"{step}-device", device.id, per_device, window)
    return (f"{step}-account", _account_subject(login, account_id), limit, window)


def _per_address(request: HttpRequest, step: str) -> _Counter:
    return (
        f"{step}-address",
        client_ip(request),
        settings.CAREBRIDGE_SIGN_IN_FAILURES_PER_ADDRESS,
        settings.CAREBRIDGE_SIGN_IN_ADDRESS_WINDOW_SECONDS,
    )


def take_sign_in_attempt(request: HttpRequest, *, login: str) -> Attempt | None:
    """Count a password try for `login`, or None when its address, account or device is spent."""
    account_id = _account_id(login) if login else None
    per_account = _per_account_or_device(
        request,
        "sign-in",
        login=login,
        account_id=account_id,
        limit=settings.CAREBRIDGE_SIGN_IN_FAILURES_PER_ACCOUNT,
        window=settings.CAREBRIDGE_SIGN_IN_WINDOW_SECONDS,
    )
    return _take_all([_per_address(request, "sign-in"), per_account])


def take_two_step_attempt(request: HttpRequest, *, user: User) -> Attempt | None:
    """Count a two-step code try for `user`, split the same way as password tries."""
    per_account = _per_account_or_device(
        request,
        "two-step",
        login=user.email,
        account_id=user.pk,
        limit=settings.CAREBRIDGE_SIGN_IN_FAILURES_PER_ACCOUNT,
        window=settings.CAREBRIDGE_SIGN_IN_WINDOW_SECONDS,
    )
    return _take_all([_per_address(request, "two-step"), per_account])


def take_reset_email(request: HttpRequest, *, email: str) -> bool:
    """Count a request for a reset e-mail to `email`; False when unknown browsers (or this known
    one) have asked for too many. allauth limits the requests per address (IP) itself."""
    per_account = _per_account_or_device(
        request,
        "reset",
        login=email,
        account_id=_account_id(email),
        limit=settings.CAREBRIDGE_RESET_EMAILS_PER_ACCOUNT,
        window=settings.CAREBRIDGE_RESET_WINDOW_SECONDS,
    )
    return _take_all([per_account]) is not None


def forget_unknown_browser_failures(*, login: str) -> None:
    """After the owner proved they hold the mailbox (a password reset), unlock the account for
    unknown browsers. Address and device counters stay: they slow whoever made them."""
    subject = _account_subject(login, _account_id(login))
    ratelimit.clear("sign-in-account", subject)
    ratelimit.clear("two-step-account", subject)
