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
    from carebridge.testing.personas import Cast


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


def persona_client(cast: Cast, persona: str) -> Client:
    """A client signed in as the matrix's persona; a caregiver or parent has chosen, in the
    switcher, the person they help (a choice the portal forgets once their access has ended)."""
    from carebridge.testing.personas import user_for
    from carebridge.testing.proxy_personas import PROXY_PERSONAS

    acting_for = cast.proxies.acting_for(persona) if persona in PROXY_PERSONAS else None
    return client_for(user_for(cast, persona), acting_for)


def flashed(response: HttpResponse) -> list[str]:
    """The messages the page showed ("Your access … has ended")."""
    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]
