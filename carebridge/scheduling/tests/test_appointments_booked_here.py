"""The appointments page with those booked in Carebridge beside the EHR's: order, status in
words, a link to each, and a constant number of queries."""

from __future__ import annotations

import pytest

from carebridge.scheduling.models import AppointmentStatus
from carebridge.scheduling.tests.booked import add_pats_bookings
from carebridge.scheduling.tests.factories import local, make_appointment
from carebridge.scheduling.tests.pages import PAGE, card, texts, upcoming, utc
from carebridge.testing.records import appointment, store

pytestmark = pytest.mark.django_db

CHEN, OFFICE = "Maya Chen, MD", "Main Street Office"


def test_booked_ones_join_the_ehrs_in_time_order_with_a_link(cast, patient_client):
    store(
        cast.patient,
        appointment(cast.patient, utc(3, 5, 14)),
        appointment(cast.patient, utc(3, 10, 14)),
    )
    bookings = add_pats_bookings(cast.patient, cast.proxies.full_caregiver)
    office = bookings.schedule.location.name
    html = patient_client.get(PAGE).content.decode()
    assert upcoming(patient_client) == [
        card("Thursday, March 5, 2026, 9:00 a.m.", "Follow-up visit", CHEN, OFFICE, "Booked"),
        card("Monday, March 9, 2026, 9:30 a.m.", "Check-up", "Sam Okafor, MD", office, "Booked")
        + " See this appointment March 9, 2026, 9:30 a.m.",
        card("Tuesday, March 10, 2026, 10:00 a.m.", "Follow-up visit", CHEN, OFFICE, "Booked"),
    ]
    assert f'<a href="/appointments/{bookings.upcoming.pk}/">' in html


def test_the_others_booked_here_are_listed_latest_first(cast, patient_client):
    bookings = add_pats_bookings(cast.patient, cast.proxies.full_caregiver)
    office = bookings.schedule.location.name
    assert texts(patient_client.get(PAGE), "booked-past-heading") == [
        card(
            "Friday, March 6, 2026, 11:00 a.m. Cancelled",
            "Check-up",
            "Sam Okafor, MD",
            office,
            "Cancelled",
        )
        + " See this appointment March 6, 2026, 11:00 a.m.",
        card(
            "Tuesday, February 10, 2026, 2:00 p.m.",
            "Check-up",
            "Sam Okafor, MD",
            office,
            "Attended",
        )
        + " See this appointment February 10, 2026, 2:00 p.m.",
    ]


def test_without_any_booked_here_the_section_is_left_out(cast, patient_client):
    assert "booked-past-heading" not in patient_client.get(PAGE).content.decode()


def test_a_requested_one_still_to_come_is_upcoming_in_words(cast, patient_client):
    bookings = add_pats_bookings(cast.patient, cast.proxies.full_caregiver)
    bookings.upcoming.status = AppointmentStatus.REQUESTED
    bookings.upcoming.save()
    assert upcoming(patient_client)[0].endswith(
        "Status Requested See this appointment March 9, 2026, 9:30 a.m."
    )


# The page's queries (see test_appointments_page), less the two for the EHR appointments'
# open requests and online check-ins, none of which are to come here.
QUERIES = 10


def _queries(client, assert_num_queries) -> None:
    # A change to the record renews what is kept for the viewer: measure the request after.
    assert client.get(PAGE).status_code == 200
    with assert_num_queries(QUERIES):
        assert client.get(PAGE).status_code == 200


def _book(bookings, count: int, start_day: int) -> None:
    """`count` appointments booked here, alternately to come and past."""
    schedule = bookings.schedule
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    for n in range(count):
        day = start_day + n // 10
        when = local(2026, 3 if n % 2 else 2, day, 9 + n % 10)
        make_appointment(bookings.upcoming.patient, *visit, when)


def test_the_page_costs_the_same_queries_for_few_and_many_booked(
    cast, patient_client, django_assert_num_queries
):
    bookings = add_pats_bookings(cast.patient, cast.proxies.full_caregiver)
    patient_client.get(PAGE)
    _queries(patient_client, django_assert_num_queries)
    _book(bookings, 120, start_day=11)
    _queries(patient_client, django_assert_num_queries)
    assert len(upcoming(patient_client)) == 50
    assert len(texts(patient_client.get(PAGE), "booked-past-heading")) == 10
