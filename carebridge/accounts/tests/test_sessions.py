"""Session limits (idle and absolute), the page script's endpoints, re-authentication, and
signing out other sessions."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.test import Client

from carebridge.accounts.tests.sign_in_steps import reauthenticate, sign_in
from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.testing import factories
from carebridge.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

TIMED_OUT = "/account/login/?timeout=1"
STATUS_URL = "/account/session/status/"
KEEPALIVE_URL = "/account/session/keepalive/"
REAUTH_URL = "/account/reauthenticate/"


def minutes(value: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=value)


@pytest.fixture
def clock():
    """A stopped clock starting at the real time; tests move it with `clock.shift(...)`."""
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(cast, clock) -> Client:
    client = Client()
    client.force_login(cast.patient_user)
    # The first request starts the session clocks.
    assert client.get("/").status_code == 200
    return client


def _is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_configured_limits(settings):
    assert settings.CAREBRIDGE_SESSION_IDLE_SECONDS == 15 * 60
    assert settings.CAREBRIDGE_SESSION_ABSOLUTE_SECONDS == 12 * 3600
    assert settings.ACCOUNT_REAUTHENTICATION_TIMEOUT == 300


def test_fifteen_minutes_and_a_second_idle_signs_out(cast, signed_in, clock):
    clock.shift(minutes(15) + datetime.timedelta(seconds=1))
    response = signed_in.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == TIMED_OUT
    assert not _is_signed_in(signed_in)
    event = AuditEvent.objects.get(action=AuditAction.SIGN_OUT)
    assert event.actor == cast.patient_user
    assert event.object_type == "session_timeout"
    assert event.patient == cast.patient


def test_the_sign_in_page_says_why(signed_in, clock):
    clock.shift(minutes(16))
    response = signed_in.get("/", follow=True)
    assert response.redirect_chain[0] == (TIMED_OUT, 302)
    assert "You were signed out because you were not active for a while." in (
        response.content.decode()
    )


def test_exactly_fifteen_minutes_idle_keeps_the_session(signed_in, clock):
    clock.shift(minutes(15))
    assert signed_in.get("/").status_code == 200
    assert _is_signed_in(signed_in)


def test_activity_every_fourteen_minutes_keeps_the_session(signed_in, clock):
    for _ in range(4):
        clock.shift(minutes(14))
        assert signed_in.get("/account/").status_code == 200
    assert _is_signed_in(signed_in)
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).exists()


def test_twelve_hours_signs_out_even_with_constant_activity(signed_in, clock):
    for _ in range(12 * 6):
        clock.shift(minutes(10))
        assert signed_in.get("/account/").status_code == 200
    # Exactly twelve hours since sign-in: still in.
    assert _is_signed_in(signed_in)
    clock.shift(datetime.timedelta(seconds=1))
    response = signed_in.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == TIMED_OUT
    assert not _is_signed_in(signed_in)
    assert AuditEvent.objects.get(action=AuditAction.SIGN_OUT).object_type == "session_timeout"


def test_status_reports_exact_seconds_left_and_is_not_activity(signed_in, clock):
    assert signed_in.get(STATUS_URL).json() == {"signed_in": True, "seconds_left": 900}
    clock.shift(minutes(5))
    assert signed_in.get(STATUS_URL).json() == {"signed_in": True, "seconds_left": 600}
    clock.shift(minutes(6))
    assert signed_in.get(STATUS_URL).json() == {"signed_in": True, "seconds_left": 240}
    clock.shift(minutes(4) + datetime.timedelta(seconds=1))
    response = signed_in.get(STATUS_URL)
    assert response.status_code == 401
    assert response.json() == {"signed_in": False, "seconds_left": 0}
    assert not _is_signed_in(signed_in)


def test_status_reports_the_absolute_limit_when_it_is_nearer(signed_in, clock):
    for _ in range(71):
        clock.shift(minutes(10))
        signed_in.get("/account/")
    # 11 h 50 min since sign-in, active just now: 10 minutes left, not 15.
    assert signed_in.get(STATUS_URL).json() == {"signed_in": True, "seconds_left": 600}


def _csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/account/").status_code == 200
    return client


def test_keepalive_restarts_the_idle_clock(cast, clock):
    client = _csrf_client(cast.patient_user)
    token = client.cookies["csrftoken"].value
    clock.shift(minutes(10))
    response = client.post(KEEPALIVE_URL, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "seconds_left": 900}
    clock.shift(minutes(14))
    assert client.get(STATUS_URL).json() == {"signed_in": True, "seconds_left": 60}
    assert client.get("/account/").status_code == 200


def test_keepalive_needs_the_csrf_token(cast, clock):
    client = _csrf_client(cast.patient_user)
    clock.shift(minutes(10))
    response = client.post(KEEPALIVE_URL)
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_status_and_keepalive_answer_401_when_signed_out(db):
    client = Client(enforce_csrf_checks=True)
    client.get("/account/login/")
    token = client.cookies["csrftoken"].value
    status = client.get(STATUS_URL)
    keepalive = client.post(KEEPALIVE_URL, headers={"X-CSRFToken": token})
    for response in (status, keepalive):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"signed_in": False, "seconds_left": 0}


def test_an_htmx_request_after_the_timeout_gets_401_not_a_page(signed_in, clock):
    clock.shift(minutes(16))
    response = signed_in.get("/account/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.json() == {"signed_in": False, "seconds_left": 0}


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/account/password/change/", None),
        ("post", "/account/email/", {"action_add": "", "email": "pat.new@example.org"}),
        ("get", "/account/2fa/totp/activate/", None),
    ],
)
def test_sensitive_changes_need_a_recent_confirmation(signed_in, clock, method, url, data):
    reauthenticate(signed_in)
    clock.shift(minutes(5) + datetime.timedelta(seconds=1))
    response = getattr(signed_in, method)(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH_URL}?next={url.replace('/', '%2F')}"


def test_turning_off_totp_needs_a_recent_confirmation(cast, signed_in, clock):
    factories.enable_totp(cast.patient_user)
    reauthenticate(signed_in)
    clock.shift(minutes(5) + datetime.timedelta(seconds=1))
    response = signed_in.get("/account/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH_URL}?next=%2Faccount%2F2fa%2Ftotp%2Fdeactivate%2F"


def test_within_five_minutes_of_confirming_the_changes_go_ahead(cast, signed_in, clock):
    reauthenticate(signed_in)
    clock.shift(minutes(4))
    assert signed_in.get("/account/password/change/").status_code == 200
    assert signed_in.get("/account/2fa/totp/activate/").status_code == 200
    response = signed_in.post("/account/email/", {"action_add": "", "email": "pat.new@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/account/email/"
    added = EmailAddress.objects.get(email="pat.new@example.org")
    assert added.user == cast.patient_user
    assert added.verified is False


def test_sessions_page_lists_only_this_users_sessions(cast):
    first = Client(headers={"User-Agent": "Browser One"})
    second = Client(headers={"User-Agent": "Browser Two"})
    someone_else = Client(headers={"User-Agent": "Someone Else's Browser"})
    sign_in(first, "pat@example.org")
    sign_in(second, "pat@example.org")
    sign_in(someone_else, "sam@example.org")
    page = first.get("/account/sessions/").content.decode()
    assert "Browser One" in page
    assert "Browser Two" in page
    assert "Someone Else" not in page
    assert page.count("<tr>") == 3  # the header row and two sessions
    assert "Sign out everywhere else" in page


def test_sign_out_everywhere_else_ends_the_other_sessions(cast):
    here = Client(headers={"User-Agent": "Browser One"})
    elsewhere = Client(headers={"User-Agent": "Browser Two"})
    sign_in(here, "pat@example.org")
    sign_in(elsewhere, "pat@example.org")
    assert elsewhere.get("/").status_code == 200
    response = here.post("/account/sessions/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sessions/"
    response = elsewhere.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert here.get("/").status_code == 200
    page = here.get("/account/sessions/").content.decode()
    assert "Browser Two" not in page
    assert "You are signed in only here." in page


def test_changing_the_password_signs_out_the_other_sessions(cast):
    here = Client(headers={"User-Agent": "Browser One"})
    elsewhere = Client(headers={"User-Agent": "Browser Two"})
    sign_in(here, "pat@example.org")
    sign_in(elsewhere, "pat@example.org")
    reauthenticate(here)
    new_password = "violet engine copper willow"
    response = here.post(
        "/account/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    response = elsewhere.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
