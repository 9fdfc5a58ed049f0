"""The base experience: every page in the same accessible layout, with honest navigation."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from carebridge.accounts.tests.sign_in_steps import reauthenticate

pytestmark = pytest.mark.django_db

PATIENT_PAGES = [
    "/",
    "/help/",
    "/account/",
    "/account/email/",
    "/account/sessions/",
    "/account/activity/",
    "/account/2fa/",
    "/account/2fa/totp/activate/",
    "/account/2fa/webauthn/",
    "/account/2fa/webauthn/add/",
    "/account/password/change/",
    "/account/reauthenticate/",
    "/account/logout/",
]
SIGNED_OUT_PAGES = [
    "/account/login/",
    "/account/password/reset/",
    "/account/password/reset/done/",
    "/account/enrol/",
    "/help/",
]
_NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
_NAV_LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')
_FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.S)


def _navigation(page: str) -> list[tuple[str, str, bool]]:
    nav = _NAV.search(page)
    if nav is None:
        return []
    return [(label, url, bool(current)) for url, current, label in _NAV_LINK.findall(nav.group(0))]


def _unlabelled_fields(page: str) -> list[str]:
    missing = []
    for match in _FIELD.finditer(page):
        attributes = match.group(2)
        if re.search(r'type="(hidden|submit|button)"', attributes):
            continue
        field_id = re.search(r'\bid="([^"]+)"', attributes)
        if field_id is None or f'<label for="{field_id.group(1)}"' not in page:
            missing.append(match.group(0))
    return missing


def _assert_layout(page: str) -> None:
    assert page.count('<a class="skip-link" href="#main">Skip to main content</a>') == 1
    assert page.count('<main id="main"') == 1
    assert "<strong>In an emergency, call 911.</strong>" in page
    assert re.search(r"""<body hx-headers='\{"X-CSRFToken": "[A-Za-z0-9]{64}"\}'""", page)
    assert page.count("<h1") == 1
    assert _unlabelled_fields(page) == []


@pytest.fixture
def confirmed_patient(patient_client) -> Client:
    reauthenticate(patient_client)
    return patient_client


@pytest.mark.parametrize("url", PATIENT_PAGES)
def test_every_patient_page_has_the_layout_and_honest_navigation(confirmed_patient, url):
    response = confirmed_patient.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    _assert_layout(page)
    assert "Signed in as <strong>Pat Patient</strong>" in page
    labels = [label for label, _, _ in _navigation(page)]
    assert labels == [
        "Home",
        "My record",
        "Appointments",
        "Messages",
        "Bills",
        "My account",
        "Help",
    ]


@pytest.mark.parametrize("url", SIGNED_OUT_PAGES)
def test_signed_out_pages_have_the_layout_and_no_navigation(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    _assert_layout(page)
    assert "Signed in as" not in page
    assert _navigation(page) == []
    assert "session-timeout.js" not in page


def test_the_current_section_is_marked(patient_client):
    home = _navigation(patient_client.get("/").content.decode())
    assert home == [
        ("Home", "/", True),
        ("My record", "/record/", False),
        ("Appointments", "/appointments/", False),
        ("Messages", "/messages/", False),
        ("Bills", "/billing/", False),
        ("My account", "/account/", False),
        ("Help", "/help/", False),
    ]
    sessions = _navigation(patient_client.get("/account/sessions/").content.decode())
    assert sessions == [
        ("Home", "/", False),
        ("My record", "/record/", False),
        ("Appointments", "/appointments/", False),
        ("Messages", "/messages/", False),
        ("Bills", "/billing/", False),
        ("My account", "/account/", True),
        ("Help", "/help/", False),
    ]
    result = _navigation(patient_client.get("/record/results/").content.decode())
    assert result[1] == ("My record", "/record/", True)


def test_staff_see_the_clinic_console_and_no_patient_home(cast):
    client = Client()
    client.force_login(cast.clinician)
    page = client.get("/account/").content.decode()
    assert [label for label, _, _ in _navigation(page)] == ["Clinic console", "My account", "Help"]
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


def test_someone_who_is_neither_patient_nor_staff_sees_only_their_account(cast):
    client = Client()
    client.force_login(cast.visitor)
    page = client.get("/account/").content.decode()
    assert [label for label, _, _ in _navigation(page)] == ["My account", "Help"]
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/account/"


def test_the_home_page_greets_the_patient_and_shows_panels(patient_client):
    page = patient_client.get("/").content.decode()
    assert "<h1>Welcome, Pat Patient</h1>" in page
    assert '<h2 id="panel-1">To do</h2>' in page


def test_home_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/"


def test_help_works_signed_out_and_lists_clinic_phones(client, cast):
    response = client.get("/help/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'Riverside Family Clinic: <a href="tel:555-0100">555-0100</a>' in page
    assert 'href="/account/enrol/"' in page
    assert 'href="/account/password/reset/"' in page


def test_signed_in_pages_carry_the_session_timings_for_the_warning(patient_client):
    page = patient_client.get("/").content.decode()
    assert 'data-session-idle="900"' in page
    assert 'data-session-warning="120"' in page
    assert 'data-session-status-url="/account/session/status/"' in page
    assert 'data-session-keepalive-url="/account/session/keepalive/"' in page
    assert 'data-session-expired-url="/account/login/?timeout=1"' in page
    assert '<script src="/static/js/session-timeout.js" defer></script>' in page


def test_help_states_the_configured_idle_timeout(client, settings):
    assert (
        "We sign you out after 15 minutes without activity."
        in client.get("/help/").content.decode()
    )
    settings.CAREBRIDGE_SESSION_IDLE_SECONDS = 600
    assert (
        "We sign you out after 10 minutes without activity."
        in client.get("/help/").content.decode()
    )
