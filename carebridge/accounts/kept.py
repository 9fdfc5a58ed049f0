"""Values a process works out for a person and keeps between their requests (ADR 0014).

Each is kept in the process's memory (the `kept` cache) under a key that holds the user's
`kept_key`, read with the user on every request; whatever changes a kept value renews the key of
every user it concerns (`forget_for`), in the same transaction as the change. The acting context
and the record's and messages' counts are kept this way (carebridge/proxies/kept.py), and here
whether someone has set up two-step verification.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.signals import request_started
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from carebridge.accounts.models import User, new_kept_key

T = TypeVar("T")
# The longest a kept value is used, whatever happens (each is renewed long before).
QUARTER_HOUR = 15 * 60
RENEW_BATCH = 500


# The keys renewed during this request (by user id): the request's own copy of a user read at
# its start holds the key from before, and what the request works out after a change (the
# unread count on the page that marked a conversation read) must not come from before it.
_renewed: ContextVar[dict[int, str]] = ContextVar("carebridge_kept_renewed")


def _renewals() -> dict[int, str]:
    try:
        return _renewed.get()
    except LookupError:
        _renewed.set({})
        return _renewed.get()


def start_request(**kwargs: Any) -> None:
    """Each request starts with no renewals of its own (Django's `request_started`)."""
    _renewed.set({})


def current_kept_key(user: User) -> str:
    """The user's kept key as it is now: as read with the user, unless renewed since."""
    return _renewals().get(user.pk, user.kept_key)


def kept_key(user: User, *parts: object) -> str:
    """The cache key of a value kept for `user`: it changes with the user's kept key."""
    return ":".join(str(part) for part in (user.pk, current_kept_key(user), *parts))


def kept(user: User, name: str, work_out: Callable[[], T]) -> T:
    """`work_out()`, kept for `user` while their kept key is unchanged. `user` must be as this
    request read it (`request.user`): an older copy holds an older key, and would be answered
    from what was kept before the change that renewed it."""
    key = kept_key(user, name)
    found = caches["kept"].get(key)
    if found is None:
        found = work_out()
        caches["kept"].set(key, found, QUARTER_HOUR)
    return found


def forget_for(user_ids: Iterable[int | None]) -> None:
    """Give these users a new kept key: what was kept for them is no longer used (by any
    process, from the next request; by this request, from now)."""
    ids = sorted({pk for pk in user_ids if pk is not None})
    if ids:
        key = new_kept_key()
        # In batches: a clinic's change renews every account linked to it, and SQLite limits
        # the values one statement may hold.
        for start in range(0, len(ids), RENEW_BATCH):
            User.objects.filter(pk__in=ids[start : start + RENEW_BATCH]).update(kept_key=key)
        _renewals().update(dict.fromkeys(ids, key))


def forget_for_users(users: QuerySet[User]) -> None:
    """`forget_for` the users a query finds."""
    forget_for(users.values_list("pk", flat=True))


def has_two_step(user: User | AnonymousUser) -> bool:
    """allauth's `is_mfa_enabled(user)`, kept: any authenticator added or removed renews it.
    For the request's own user only (see `kept`)."""
    if not isinstance(user, User):
        return bool(is_mfa_enabled(user))
    return kept(user, "two-step", lambda: bool(is_mfa_enabled(user)))


def _authenticator_changed(instance: Authenticator, **kwargs: Any) -> None:
    forget_for([instance.user_id])


def connect() -> None:
    """Called once, when the app is ready."""
    request_started.connect(start_request, dispatch_uid="kept-request-started")
    uid = "kept-two-step"
    post_save.connect(_authenticator_changed, sender=Authenticator, dispatch_uid=uid)
    post_delete.connect(_authenticator_changed, sender=Authenticator, dispatch_uid=f"{uid}-gone")
