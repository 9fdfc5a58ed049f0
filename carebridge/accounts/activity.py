"""A signed-in session's activity, written at most once a minute.

Two things record that a session is in use: the portal's own "last seen" time in the session
(which the idle timeout reads) and allauth's `UserSession` row (its "last seen" and the
browser's address and name, which the account's sessions page lists). Written on every request
they cost a session save and five statements; a minute's precision is all either needs. A change
of address or browser is still written at once, so the sessions page never shows a stale one.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from allauth.usersessions.internal import usersessionkit
from django.http import HttpRequest, HttpResponse

# How stale the activity may get before a request writes it again.
WRITE_EVERY_SECONDS = 60

# The session keys holding when allauth's row was last written, and for which browser.
TRACKED_AT = "carebridge_activity_tracked_at"
TRACKED_CLIENT = "carebridge_activity_client"


def client_of(request: HttpRequest) -> str:
    """A short digest of the request's address and browser (neither kept in the session)."""
    address = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")
    return hashlib.sha256(f"{address}\n{agent}".encode()).hexdigest()[:16]


def is_due(last_written: object, now: float) -> bool:
    """Whether activity last written at `last_written` (seconds, or None) is to be written again."""
    return not isinstance(last_written, int | float) or now - last_written >= WRITE_EVERY_SECONDS


class SessionActivityMiddleware:
    """allauth's `UserSessionsMiddleware`, written at most once a minute for one browser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            now = time.time()
            client = client_of(request)
            if session.get(TRACKED_CLIENT) != client or is_due(session.get(TRACKED_AT), now):
                usersessionkit.track_activity(request, user=user, session=session)
                session[TRACKED_AT] = now
                session[TRACKED_CLIENT] = client
        return self.get_response(request)
