"""A session's activity (the idle clock and allauth's sessions list) is written at most once a
minute, and at once when the browser or its address changes."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carebridge.accounts.services import LAST_SEEN_AT

pytestmark = pytest.mark.django_db

PAGE = "/account/"  # the account page: it shows no health information, so no audit write
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148"


@pytest.fixture
def clock():
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def browser(cast, clock) -> Client:
    client = Client(HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.7")
    client.force_login(cast.patient_user)
    assert client.get(PAGE).status_code == 200
    return client


def _writes(client: Client, **headers: str) -> list[str]:
    """The tables a request for the page writes to (UPDATE and INSERT statements)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, **headers).status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    return sorted(
        sql.split('"')[1] for sql in statements if sql.startswith(("UPDATE", "INSERT INTO"))
    )


def _row(cast) -> UserSession:
    return UserSession.objects.get(user=cast.patient_user)


def test_the_first_request_records_the_browser(cast, browser):
    row = _row(cast)
    assert (row.ip, row.user_agent) == ("203.0.113.7", FIREFOX)


def test_requests_within_a_minute_write_nothing(cast, browser, clock):
    seen = _row(cast).last_seen_at
    clock.shift(datetime.timedelta(seconds=59))
    assert _writes(browser) == []
    assert _row(cast).last_seen_at == seen


def test_a_minute_later_both_clocks_are_written_once(cast, browser, clock):
    seen = _row(cast).last_seen_at
    clock.shift(datetime.timedelta(seconds=60))
    assert _writes(browser) == ["django_session", "usersessions_usersession"]
    assert _row(cast).last_seen_at == seen + datetime.timedelta(seconds=60)
    assert browser.session[LAST_SEEN_AT] == time.time()
    assert _writes(browser) == []


def test_another_browser_or_address_is_written_at_once(cast, browser, clock):
    clock.shift(datetime.timedelta(seconds=5))
    assert "usersessions_usersession" in _writes(browser, HTTP_USER_AGENT=PHONE)
    assert (_row(cast).ip, _row(cast).user_agent) == ("203.0.113.7", PHONE)
    clock.shift(datetime.timedelta(seconds=5))
    assert "usersessions_usersession" in _writes(
        browser, HTTP_USER_AGENT=PHONE, REMOTE_ADDR="198.51.100.4"
    )
    assert _row(cast).ip == "198.51.100.4"


def test_the_idle_timeout_still_counts_from_the_last_minute_written(cast, browser, clock):
    # Active every 50 seconds for 20 minutes: never idle, so never signed out.
    for _ in range(24):
        clock.shift(datetime.timedelta(seconds=50))
        assert browser.get(PAGE).status_code == 200
    clock.shift(datetime.timedelta(minutes=15, seconds=1))
    response = browser.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, "/account/login/?timeout=1")
