"""Attach the acting context to every request.

It is resolved lazily on first use (and kept between requests while current: see
carebridge/proxies/kept.py), except when the user has chosen to act for someone else:
then it is resolved at once, so that when that access has ended (revoked, past its end date,
the child grown up) the choice is forgotten and the user told, before any page is built.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from carebridge.proxies.kept import acting_context
from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY


class ActingForMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        acting_for = str(request.session.get(ACTING_FOR_SESSION_KEY, "")) if user else ""
        if not acting_for:
            request.acting = SimpleLazyObject(  # type: ignore[attr-defined]
                lambda: acting_context(user)
            )
            return self.get_response(request)
        acting = acting_context(user, acting_for)
        if not acting.is_proxy:
            del request.session[ACTING_FOR_SESSION_KEY]
            # Says nothing of whose account it was: the page may be seen by someone else.
            messages.warning(
                request,
                _("Your access to help that person has ended. You are back in your own account."),
            )
        request.acting = acting  # type: ignore[attr-defined]
        return self.get_response(request)
