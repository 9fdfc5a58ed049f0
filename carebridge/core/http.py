"""Typed requests: what every Carebridge view may rely on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.proxies.acting import ActingContext


class PortalRequest(HttpRequest):
    """A request after Carebridge's middleware has run.

    `request_id` is set for every request; `acting` says who is signed in and whose record
    they are acting on (see `carebridge.proxies.acting`).
    """

    request_id: str
    acting: ActingContext


class AuthenticatedRequest(PortalRequest):
    """A request from a signed-in user (views behind `login_required`)."""

    user: User


def client_ip(request: HttpRequest) -> str:
    """The client's address as the server saw it (a trusted proxy sets REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def user_agent(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:400]
