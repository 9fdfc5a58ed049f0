"""The language switch and the account's Language page: each person's choice is kept (cookie
for a browser, the account for someone signed in), `<html lang>` always says the page's
language, and a change of the account's language is audited."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from carebridge.accounts.models import User
from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

# Every test asks for the cast, so the module builds it once (carebridge.testing.plugin).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

LOGIN = "/account/login/"
SWITCH = "/account/language/switch/"
SETTINGS_PAGE = "/account/language/"


def page_language(client: Client, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    match = re.search(r'<html lang="([^"]*)">', response.content.decode())
    assert match is not None
    return match[1]


def switch_button(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    match = re.search(
        r'<button class="button-link" type="submit" lang="(\w+)">(\w+)</button>', html
    )
    assert match is not None
    return f"{match[1]}:{match[2]}"


def test_a_visitor_switches_to_spanish_and_back_to_the_same_page() -> None:
    client = Client()
    assert page_language(client, LOGIN) == "en"
    assert switch_button(client, LOGIN) == "es:Español"
    response = client.post(SWITCH, {"language": "es", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    cookie = client.cookies["django_language"]
    assert (cookie.value, cookie["httponly"], cookie["samesite"]) == ("es", True, "Lax")
    assert page_language(client, LOGIN) == "es"
    assert switch_button(client, LOGIN) == "en:English"
    client.post(SWITCH, {"language": "en", "next": LOGIN})
    assert page_language(client, LOGIN) == "en"


def test_a_visitor_who_never_chose_gets_the_browsers_language() -> None:
    assert page_language(Client(), LOGIN, accept_language="es-US,es;q=0.9") == "es"
    assert page_language(Client(), LOGIN, accept_language="fr-FR") == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_the_switch_never_sends_anyone_off_the_site(target: str) -> None:
    response = Client().post(SWITCH, {"language": "es", "next": target})
    assert response["Location"] == LOGIN


def test_a_language_the_portal_does_not_offer_changes_nothing(cast: Cast) -> None:
    client = client_for(cast.patient_user)
    response = client.post(SWITCH, {"language": "fr", "next": "/account/"})
    assert response["Location"] == "/account/"
    cast.patient_user.refresh_from_db()
    assert cast.patient_user.language == ""
    assert "django_language" not in client.cookies


def test_switching_when_signed_in_saves_the_choice_on_the_account_and_audits_it(
    cast: Cast,
) -> None:
    user = cast.patient_user
    response = client_for(user).post(SWITCH, {"language": "es", "next": "/account/"})
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.language == "es"
    event = AuditEvent.objects.get(object_type="account_language")
    assert (event.action, event.actor_id, event.patient_id) == (
        AuditAction.UPDATE,
        user.pk,
        cast.patient.pk,
    )
    assert event.changes == {"language": {"before": "", "after": "es"}}
    # Another browser, with no cookie and an English Accept-Language, gets Spanish pages.
    other_browser = client_for(user)
    assert page_language(other_browser, "/account/", accept_language="en-US") == "es"
    assert "<h1>Mi cuenta</h1>" in other_browser.get("/account/").content.decode()


def test_the_choice_is_kept_across_signing_out_and_in(cast: Cast) -> None:
    user = cast.patient_user
    User.objects.filter(pk=user.pk).update(language="es")
    browser = client_for(user)
    # The first signed-in page puts the account's choice in the browser's cookie ...
    assert page_language(browser, "/account/") == "es"
    browser.post("/account/logout/")
    # ... so the sign-in page after signing out is still in Spanish.
    assert page_language(browser, LOGIN) == "es"
    browser.force_login(user)
    assert page_language(browser, "/account/", accept_language="en") == "es"


def test_the_saved_choice_wins_over_the_cookie(cast: Cast) -> None:
    User.objects.filter(pk=cast.patient_user.pk).update(language="en")
    browser = client_for(cast.patient_user)
    browser.cookies["django_language"] = "es"
    assert page_language(browser, "/account/") == "en"


def test_the_language_page_saves_the_choice(cast: Cast) -> None:
    user = cast.patient_user
    client = client_for(user)
    html = client.get(SETTINGS_PAGE).content.decode()
    assert '<label for="id_language_1" lang="es">Español</label>' in html
    response = client.post(SETTINGS_PAGE, {"language": "es"})
    assert response.status_code == 302
    assert response["Location"] == SETTINGS_PAGE
    user.refresh_from_db()
    assert user.language == "es"
    with translation.override("es"):
        assert flashed(response) == [gettext("Your language is saved.")]
    assert page_language(client, SETTINGS_PAGE) == "es"


def test_the_language_page_refuses_a_language_it_does_not_offer(cast: Cast) -> None:
    client = client_for(cast.patient_user)
    response = client.post(SETTINGS_PAGE, {"language": "xx"})
    assert response.status_code == 200
    cast.patient_user.refresh_from_db()
    assert cast.patient_user.language == ""
    assert AuditEvent.objects.filter(object_type="account_language").count() == 0


def test_the_language_page_needs_a_sign_in() -> None:
    response = Client().get(SETTINGS_PAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={SETTINGS_PAGE}"
