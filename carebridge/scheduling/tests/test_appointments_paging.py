"""The appointments page shows what a person reads: everything to come, the latest ten others
of the EHR's and of those booked here, and an "Earlier appointments" link to the ten before
them; a bad page number shows the first page; each page costs the same queries for 3
appointments as for 300, and every page is audited."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient
from carebridge.records.selectors.wording import words_for
from carebridge.scheduling import selectors
from carebridge.scheduling.list_selectors import list_appointments
from carebridge.scheduling.models import AppointmentStatus
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_appointment,
    make_schedule,
)
from carebridge.scheduling.tests.pages import PAGE, card, past, texts, upcoming, utc
from carebridge.testing.personas import Cast
from carebridge.testing.records import appointment, store

pytestmark = pytest.mark.django_db

CHEN, OFFICE = "Maya Chen, MD", "Main Street Office"
DAY = datetime.timedelta(days=1)
# The first page: the session and the user (the acting patient and the navigation's count are
# kept between requests), the audit's one INSERT, and the page's nine (`list_appointments`). An
# earlier page: the same, less the seven it leaves out (what is to come with its two marks, the
# requests, the waiting list and its offers).
FIRST_PAGE_QUERIES = 12
EARLIER_PAGE_QUERIES = 5


def _ehr_past(pat: Patient, count: int) -> None:
    """`count` attended EHR visits, one a day back from Tuesday, March 3, 2026 at 10:00."""
    store(
        pat, *(appointment(pat, utc(3, 3, 15) - n * DAY, status="fulfilled") for n in range(count))
    )


def _booked_past(pat: Patient, count: int) -> None:
    """`count` attended check-ups booked here, one a day back from Monday, March 2 at 9:00."""
    schedule = make_schedule(pat.clinic, name="Check-up")
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    for n in range(count):
        when = local(2026, 3, 2, 9) - n * DAY
        make_appointment(pat, *visit, when, status=AppointmentStatus.COMPLETED)


def _days(rows: list[str]) -> list[str]:
    """Each card's date (its weekday and day)."""
    return [row.split(", 2026")[0].split(", 2025")[0] for row in rows]


def test_the_first_page_shows_the_latest_ten_of_each_and_an_earlier_link(
    cast: Cast, patient_client: Client
) -> None:
    _ehr_past(cast.patient, 25)
    _booked_past(cast.patient, 12)
    response = patient_client.get(PAGE)
    assert past(patient_client)[:2] == [
        card("Tuesday, March 3, 2026, 10:00 a.m.", "Follow-up visit", CHEN, OFFICE, "Attended"),
        card("Monday, March 2, 2026, 10:00 a.m.", "Follow-up visit", CHEN, OFFICE, "Attended"),
    ]
    assert _days(past(patient_client)) == [
        "Tuesday, March 3", "Monday, March 2", "Sunday, March 1", "Saturday, February 28",
        "Friday, February 27", "Thursday, February 26", "Wednesday, February 25",
        "Tuesday, February 24", "Monday, February 23", "Sunday, February 22",
    ]  # fmt: skip
    assert _days(texts(response, "booked-past-heading")) == [
        "Monday, March 2", "Sunday, March 1", "Saturday, February 28", "Friday, February 27",
        "Thursday, February 26", "Wednesday, February 25", "Tuesday, February 24",
        "Monday, February 23", "Sunday, February 22", "Saturday, February 21",
    ]  # fmt: skip
    page = response.content.decode()
    assert '<a href="?page=2" rel="next">Earlier appointments</a>' in page
    assert "Later appointments" not in page


def test_the_earlier_pages_go_back_ten_at_a_time_and_lead_back(
    cast: Cast, patient_client: Client
) -> None:
    _ehr_past(cast.patient, 25)
    _booked_past(cast.patient, 12)
    second = patient_client.get(PAGE, {"page": "2"})
    assert _days(texts(second, "past-heading")) == [
        "Saturday, February 21", "Friday, February 20", "Thursday, February 19",
        "Wednesday, February 18", "Tuesday, February 17", "Monday, February 16",
        "Sunday, February 15", "Saturday, February 14", "Friday, February 13",
        "Thursday, February 12",
    ]  # fmt: skip
    assert _days(texts(second, "booked-past-heading")) == [
        "Friday, February 20",
        "Thursday, February 19",
    ]
    html = second.content.decode()
    assert '<a href="/appointments/" rel="prev">Later appointments</a>' in html
    assert '<a href="?page=3" rel="next">Earlier appointments</a>' in html
    third = patient_client.get(PAGE, {"page": "3"})
    assert _days(texts(third, "past-heading")) == [
        "Wednesday, February 11", "Tuesday, February 10", "Monday, February 9",
        "Sunday, February 8", "Saturday, February 7",
    ]  # fmt: skip
    assert "booked-past-heading" not in third.content.decode()
    assert '<a href="?page=2" rel="prev">Later appointments</a>' in third.content.decode()
    assert 'rel="next"' not in third.content.decode()


def test_an_earlier_page_shows_only_the_others(cast: Cast, patient_client: Client) -> None:
    store(cast.patient, appointment(cast.patient, utc(3, 5, 14)))
    _ehr_past(cast.patient, 11)
    html = patient_client.get(PAGE, {"page": "2"}).content.decode()
    assert "upcoming-heading" not in html
    assert "Book an appointment here" not in html
    assert _days(texts(patient_client.get(PAGE, {"page": "2"}), "past-heading")) == [
        "Saturday, February 21"
    ]
    assert len(upcoming(patient_client)) == 1


def test_with_ten_or_fewer_there_is_no_earlier_link(cast: Cast, patient_client: Client) -> None:
    _ehr_past(cast.patient, 10)
    _booked_past(cast.patient, 10)
    html = patient_client.get(PAGE).content.decode()
    assert (len(past(patient_client)), 'class="section-pages"' in html) == (10, False)


@pytest.mark.parametrize(
    "value",
    ["", "0", "-1", "2.5", "two", "1e3", " 2", "\u0662", "1001", "99999999999999999999", "4"],
)
def test_a_bad_page_number_shows_the_first_page(
    cast: Cast, patient_client: Client, value: str
) -> None:
    # Page 4 is past the last page (3) and counts as bad; the others are not page numbers.
    _ehr_past(cast.patient, 25)
    response = patient_client.get(PAGE, {"page": value})
    assert response.status_code == 200
    assert texts(response, "past-heading") == past(patient_client)
    assert _days(texts(response, "past-heading"))[0] == "Tuesday, March 3"
    assert 'rel="prev"' not in response.content.decode()


def test_every_page_is_audited_as_a_view_of_the_appointments(
    cast: Cast, patient_client: Client
) -> None:
    _ehr_past(cast.patient, 15)
    views = AuditEvent.objects.filter(object_type="appointments", patient=cast.patient)
    before = views.count()
    patient_client.get(PAGE)
    patient_client.get(PAGE, {"page": "2"})
    assert views.count() - before == 2
    assert list(views.order_by("-pk").values_list("action", "acting_as")[:2]) == [
        ("view", "self"),
        ("view", "self"),
    ]


def _mix(pat: Patient, schedule: Schedule, first: int, count: int) -> None:
    """`count` EHR appointments and `count` booked here (numbered from `first`, each at its own
    time), a third of each still to come."""
    store(
        pat,
        *(
            appointment(pat, utc(3, 5, 14) if n % 3 == 0 else utc(2, 5, 14) - n * DAY)
            for n in range(first, first + count)
        ),
    )
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    for n in range(first, first + count):
        when = local(2026, 3, 20, 9) + n * DAY if n % 3 == 0 else local(2026, 2, 1, 9) - n * DAY
        make_appointment(pat, *visit, when, status=AppointmentStatus.BOOKED)


@pytest.mark.parametrize(
    ("params", "queries"), [({}, FIRST_PAGE_QUERIES), ({"page": "2"}, EARLIER_PAGE_QUERIES)]
)
def test_each_page_costs_the_same_queries_for_3_appointments_as_for_300(
    cast: Cast,
    patient_client: Client,
    django_assert_num_queries: Any,
    params: dict[str, str],
    queries: int,
) -> None:
    schedule = make_schedule(cast.patient.clinic, name="Check-up")
    # Enough for a second page either way: 3 of each kind, then 150 of each.
    _ehr_past(cast.patient, 11)
    _mix(cast.patient, schedule, 0, 3)
    patient_client.get(PAGE)
    with django_assert_num_queries(queries):
        assert patient_client.get(PAGE, params).status_code == 200
    _mix(cast.patient, schedule, 3, 147)
    # The record changed: what is kept for Pat is worked out once, then kept again.
    patient_client.get(PAGE, params)
    with django_assert_num_queries(queries):
        assert patient_client.get(PAGE, params).status_code == 200
    assert len(upcoming(patient_client)) == 50


def test_statuses_are_put_in_words_once_a_page_not_once_a_row(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    _ehr_past(cast.patient, 8)
    store(
        cast.patient,
        *(appointment(cast.patient, utc(1, 1 + n, 15), status="noshow") for n in range(5)),
    )
    calls: list[str] = []

    def counted(table: Any, code: str) -> str:
        calls.append(code)
        return words_for(table, code)

    monkeypatch.setattr(selectors, "words_for", counted)
    listing = list_appointments(cast.patient, hides_sensitive=False, page=None, now=utc(3, 4, 15))
    assert [row.status for row in listing.past] == ["Attended"] * 8 + ["Missed"] * 2
    assert calls == ["fulfilled", "noshow"]
