"""No input gives a 500: hypothesis-made values for every form and query parameter of every page.

Each page the authorisation matrix lets someone open (`tests/test_authorization_matrix.py`) is
opened as that person; the names of its form fields are read from the page, and hypothesis then
sends text, dates a database cannot hold, huge numbers, unicode, very long strings and NUL bytes
in those fields (by the form's own method) and in the query parameters the portal's views read.
Whatever comes back must not be a server error. The examples per page are kept few so that the
suite stays fast; hostile values are drawn often, so few examples still find a crash.
"""

from __future__ import annotations

import copy
import datetime
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.testing.matrix import Route
from carebridge.testing.personas import Cast
from tests.test_authorization_matrix import ROUTES, _client_for

# The person each page is tried as: the first who may open it.
PREFERRED = (
    "patient",
    "clinic_admin",
    "clinician",
    "front_desk",
    "full_caregiver",
    "parent_of_teen",
    "visitor",
    "anonymous",
)
# Query parameters the portal's views read from `request.GET` beyond their forms' fields.
QUERY_NAMES = (
    "page",
    "date",
    "date_from",
    "date_to",
    "kind",
    "period",
    "type",
    "team",
    "status",
    "mine",
    "show",
    "format",
    "patient",
    "visit_type",
    "practitioner",
    "location",
    "time",
    "q",
    "patient_mrn",
    "user_email",
    "statement",
    "amount",
)
# Values that broke, or could break, a parser or a database: years out of range, odd offsets,
# numbers past any integer column, NUL bytes, and text too long for any field.
HOSTILE = (
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "+275760-09-13",
    "-001000-01-01",
    "99999999-01-01",
    "2026-02-30",
    "2026-13-01",
    "2026-03-08T10:00:00+23:59",
    "2026-03-08T10:00:00-23:59",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "1_1_9999-12-31T23:59:59+00:00",
    "1_1_0001-01-01T00:00:00+23:59",
    "99999999999999999999999999_1_2026-03-08T10:00:00+00:00",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    str(2**63),
    str(-(2**63) - 1),
    "9" * 400,
    "\x00",
    "a\x00b",
    # Letters outside the Basic Multilingual Plane, and a right-to-left override.
    "\U0001d518\U0001d52b\u202e",
    "x" * 10_000,
    "00000000-0000-4000-8000-000000000000",
    "not-a-uuid",
    "' OR 1=1 --",
    "%00",
    "",
)


def _dates() -> st.SearchStrategy[str]:
    return st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat)


def _datetimes() -> st.SearchStrategy[str]:
    offsets = st.integers(min_value=-24 * 60 + 1, max_value=24 * 60 - 1)
    return st.builds(
        lambda moment, minutes: moment.replace(
            tzinfo=datetime.timezone(datetime.timedelta(minutes=minutes))
        ).isoformat(),
        st.datetimes(),
        offsets,
    )


VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    _dates(),
    _datetimes(),
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)


class _FormFields(HTMLParser):
    """The method and field names of every form on a page (file inputs left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            method = found.get("method", "get").lower()
            self.forms.append((method, found.get("action", ""), set()))
        elif tag in {"input", "select", "textarea", "button"} and self.forms:
            name = found.get("name", "")
            if name and found.get("type") != "file" and name != "csrfmiddlewaretoken":
                self.forms[-1][2].add(name)


# Every field whose name says it holds a day or a moment, and dates no page may choke on.
DATE_WORDS = ("date", "day", "time", "ends_on", "starts_on", "birth")
BAD_DATES = (
    "9999-12-31",
    "0001-01-01",
    "+275760-09-13",
    "1_1_9999-12-31T23:59:59-14:00",
    "1_1_0001-01-01T00:00:00+23:59",
    "2026-03-08T10:00:00+23:59",
)


def _page_cases() -> list[Any]:
    """One case per page someone may open: the first route of each name with an OK person."""
    cases: dict[str, Any] = {}
    for route in ROUTES:
        if route.method != "get" or route.name in cases:
            continue
        persona = next((p for p in PREFERRED if route.expect[p].status == 200), None)
        if persona is not None:
            cases[route.name] = pytest.param(route, persona, id=route.name)
    return list(cases.values())


def _forms(client: Client, address: str) -> list[tuple[str, str, set[str]]]:
    response = client.get(address)
    parser = _FormFields()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode())
    return parser.forms


def _send(client: Client, method: str, address: str, data: dict[str, str]) -> int:
    """Send one request; the body of a streamed answer is read, so an error in it shows."""
    response = client.post(address, data) if method == "post" else client.get(address, data)
    if response.streaming:
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.status_code


@pytest.mark.parametrize(("route", "persona"), _page_cases())
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_input_gives_a_server_error(
    cast_with_records: Cast, route: Route, persona: str, data: st.DataObject
) -> None:
    # The signed-in client and the page's forms are made once per test, before any example:
    # every example then sends its odd input to the same page as the same person.
    key = (id(cast_with_records), route.name, persona)
    if key not in _PREPARED:
        _PREPARED.clear()
        address = route.url(cast_with_records)
        client = _client_for(cast_with_records, persona)
        _PREPARED[key] = (address, client, _forms(client, address))
        _COOKIES.clear()
        _COOKIES[key] = copy.deepcopy(client.cookies)
    address, client, forms = _PREPARED[key]
    # An example may sign the client out or change its cookies: each starts with the same ones.
    client.cookies = copy.deepcopy(_COOKIES[key])
    # Each example starts from the same database: a form an earlier example sent (deactivating
    # a member of staff, say) changes the page's forms, and hypothesis needs the same page to
    # draw the same choices when it replays an example.
    savepoint = transaction.savepoint()
    try:
        _send_odd_input(address, client, forms, data)
    finally:
        transaction.savepoint_rollback(savepoint)


_PREPARED: dict[tuple[int, str, str], tuple[str, Client, list[tuple[str, str, set[str]]]]] = {}
_COOKIES: dict[tuple[int, str, str], SimpleCookie] = {}


def _send_odd_input(
    address: str, client: Client, forms: list[tuple[str, str, set[str]]], data: st.DataObject
) -> None:
    names = sorted(set(QUERY_NAMES).union(*(fields for _m, _a, fields in forms)))
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=6, unique=True))
    values = {name: data.draw(VALUES, label=name) for name in chosen}
    method, action = data.draw(st.sampled_from([("get", ""), *((m, a) for m, a, _f in forms)]))
    target = action if action.startswith("/") else address.split("?")[0]
    # The client does not follow redirects; a 500 anywhere in the answer fails the test.
    assert _send(client, method, target, values) < 500


@pytest.mark.parametrize(("route", "persona"), _page_cases())
def test_no_date_out_of_range_gives_a_server_error(
    cast_with_records: Cast, route: Route, persona: str
) -> None:
    """Every date-like field and query parameter of the page, with each date a database or
    Python cannot hold (or cannot add a day to): never a 500 (checked one by one, not sampled)."""
    cast = cast_with_records
    address = route.url(cast)
    client = _client_for(cast, persona)
    # The pages that read a date from the address do so through their (GET) filter forms.
    for method, action, fields in _forms(client, address):
        target = action if action.startswith("/") else address.split("?")[0]
        for name in sorted(f for f in fields if any(word in f for word in DATE_WORDS)):
            for value in BAD_DATES:
                assert _send(client, method, target, {name: value}) < 500, (name, value)
