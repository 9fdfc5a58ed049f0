"""Test clients signed in as someone, and what the portal told them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.messages import get_messages
from django.test import Client

from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY

if TYPE_CHECKING:
    from django.http import HttpResponse

    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient


def client_for(user: User | None, acting_for: Patient | None = None) -> Client:
    """A client signed in as `user` (None: nobody) who has chosen, in the header switcher, to
    act for `acting_for` (the portal checks that choice on every request, as for anyone)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    if acting_for is not None:
        session = client.session
        session[ACTING_FOR_SESSION_KEY] = str(acting_for.pk)
        session.save()
    return client


def flashed(response: HttpResponse) -> list[str]:
    """The messages the page showed ("Your access … has ended")."""
    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]
