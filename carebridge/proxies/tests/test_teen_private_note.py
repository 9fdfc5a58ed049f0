"""A parent whose view of a teenager is narrowed by the clinic's teen rules is told so, and why,
on the record pages and the messages page; nobody else sees the note."""

from __future__ import annotations

from typing import Any

import pytest

from carebridge.proxies.resolution import resolve_acting_context
from carebridge.proxies.services.grants import set_teen_sharing
from carebridge.testing.clients import client_for

pytestmark = pytest.mark.django_db

NOTE = (
    '<p class="message message-warning">Some parts of Tess\'s record are private to Tess, '
    "because Tess is 15. The clinic can explain.</p>"
)
PAGES = ("/record/allergies/", "/messages/")


def _html(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().replace("&#x27;", "'").split())


def test_the_teens_parent_is_told_what_is_private_and_why(cast):
    acting = resolve_acting_context(cast.proxies.parent_of_teen, str(cast.proxies.teen.pk))
    assert acting.teen_private_age == 15
    client = client_for(cast.proxies.parent_of_teen, acting_for=cast.proxies.teen)
    for url in PAGES:
        assert NOTE in _html(client, url)


def test_a_teen_who_shares_everything_leaves_nothing_to_explain(cast):
    grant = cast.proxies.grants["parent_of_teen"]
    everything = ["results", "record", "messaging", "account"]
    set_teen_sharing(actor=cast.proxies.teen_user, grant=grant, scopes=everything)
    acting = resolve_acting_context(cast.proxies.parent_of_teen, str(cast.proxies.teen.pk))
    assert acting.teen_private_age is None
    client = client_for(cast.proxies.parent_of_teen, acting_for=cast.proxies.teen)
    assert "are private to" not in _html(client, "/record/allergies/")


def test_sharing_only_the_record_still_explains_the_hidden_messages(cast):
    grant = cast.proxies.grants["parent_of_teen"]
    set_teen_sharing(actor=cast.proxies.teen_user, grant=grant, scopes=["record"])
    acting = resolve_acting_context(cast.proxies.parent_of_teen, str(cast.proxies.teen.pk))
    assert acting.teen_private_age == 15


@pytest.mark.parametrize(
    ("persona", "patient"),
    [("parent_of_child", "child"), ("full_caregiver", None), ("teen_user", None)],
)
def test_nobody_else_sees_the_note(cast, persona, patient):
    user = getattr(cast.proxies, persona, None) or getattr(cast, persona)
    if persona == "full_caregiver":
        client = client_for(user, acting_for=cast.patient)
    elif patient:
        client = client_for(user, acting_for=getattr(cast.proxies, patient))
    else:
        client = client_for(user)
    for url in PAGES:
        assert "are private to" not in _html(client, url)
