"""Pages never claim a language they are not written in, and messages never travel in a cookie."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from carebridge.testing.factories import TEST_PASSWORD
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LANG = re.compile(r'<html lang="([^"]+)">')


def _has_catalogue(code: str) -> bool:
    paths = [*settings.LOCALE_PATHS]
    return any((path / code / "LC_MESSAGES" / "django.mo").is_file() for path in paths)


@pytest.mark.parametrize(
    ("accept", "written_in"),
    [("es", "es"), ("es-MX,es;q=0.9", "es"), ("fr-FR,fr;q=0.8", "en"), ("de, es;q=0.5", "es")],
)
def test_a_page_says_the_language_it_is_written_in(
    client: Client, accept: str, written_in: str
) -> None:
    """Spanish for a browser that asks for it (its catalogue is complete); English otherwise."""
    body = client.get("/help/", headers={"Accept-Language": accept}).content.decode()
    assert LANG.findall(body) == [written_in]
    heading = {"en": "<h1>Help</h1>", "es": "<h1>Ayuda</h1>"}
    assert heading[written_in] in body


def test_a_language_is_offered_only_with_its_catalogue() -> None:
    offered = [code for code, _name in settings.LANGUAGES]
    assert offered[0] == "en"
    assert all(_has_catalogue(code) for code in offered[1:])
    assert ("es" in offered) is _has_catalogue("es")


def test_messages_are_kept_in_the_session() -> None:
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"


def test_no_response_after_sign_in_sets_a_messages_cookie(client: Client, cast: Cast) -> None:
    signed_in = client.post(
        "/account/login/", {"login": "pat@example.org", "password": TEST_PASSWORD}
    )
    home = client.get(signed_in["Location"])
    responses = [signed_in, home]
    assert signed_in.status_code == 302
    assert [r.cookies.get("messages") for r in responses] == [None, None]
    assert "messages" not in client.cookies
    # The message is still shown, from the session.
    assert "Successfully signed in as" in home.content.decode()
