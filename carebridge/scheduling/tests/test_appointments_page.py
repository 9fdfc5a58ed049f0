"""The appointments page: exact rows and order, the clinic's time zone, paging, what is never
shown, the call-the-clinic line, and a constant number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from carebridge.records.models import ClinicalResource, Release
from carebridge.scheduling.tests.pages import (
    PAGE,
    SENSITIVE,
    add_pats_appointments,
    card,
    past,
    texts,
    upcoming,
    utc,
)
from carebridge.testing.records import appointment, encounter, store

pytestmark = pytest.mark.django_db

CHEN, OFFICE = "Maya Chen, MD", "Main Street Office"


def test_pat_sees_what_is_coming_soonest_first_in_the_clinics_time(cast, patient_client, settings):
    # The server's own zone is not the clinic's: every time shown must be the clinic's.
    settings.TIME_ZONE = "UTC"
    add_pats_appointments(cast.patient)
    assert upcoming(patient_client) == [
        card("Wednesday, March 4, 2026, 10:00 a.m.", "Sick visit", CHEN, OFFICE, "Checked in"),
        card("Thursday, March 5, 2026, 9:00 a.m.", "Follow-up visit", CHEN, OFFICE, "Booked"),
        # After the clocks went forward on 8 March: 13:00 UTC is 9:00 a.m. in New York.
        card(
            "Monday, March 9, 2026, 9:00 a.m.",
            "Annual physical",
            "Daniel Okafor, DO",
            "Riverside Family Clinic",
            "Waiting to be confirmed",
        ),
    ]


def test_the_others_are_latest_first_with_cancelled_ones_marked(cast, patient_client):
    add_pats_appointments(cast.patient)
    assert past(patient_client) == [
        card(
            "Friday, March 6, 2026, 11:00 a.m. Cancelled",
            "Follow-up visit",
            CHEN,
            OFFICE,
            "Cancelled",
        ),
        # Booked, but its time has passed (the EHR has not said how it went).
        card("Wednesday, March 4, 2026, 9:45 a.m.", "Follow-up visit", CHEN, OFFICE, "Booked"),
        card("Tuesday, February 10, 2026, 2:30 p.m.", "Follow-up visit", CHEN, OFFICE, "Attended"),
        card("Monday, November 3, 2025, 12:00 p.m.", "Sick visit", CHEN, OFFICE, "Missed"),
        card("Time not set yet", "Appointment", "Not recorded", "Not recorded", "Being arranged"),
    ]
    page = patient_client.get(PAGE).content.decode()
    assert page.count('<span class="badge denied">Cancelled</span>') == 1
    assert '<time datetime="2026-03-09T09:00:00-04:00">' in page
    assert '<time datetime="2026-03-05T09:00:00-05:00">' in page


def test_times_follow_the_clinics_own_zone(cast, patient_client):
    cast.clinic.time_zone = "America/Los_Angeles"
    cast.clinic.save()
    store(cast.patient, appointment(cast.patient, utc(3, 5, 14)))
    assert upcoming(patient_client) == [
        card("Thursday, March 5, 2026, 6:00 a.m.", "Follow-up visit", CHEN, OFFICE, "Booked")
    ]
    page = patient_client.get(PAGE).content.decode()
    assert "(time zone America/Los_Angeles)" in page


def intro_of(page: str) -> str:
    intro = page.split('<p class="section-intro">', 1)[1].split("</p>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", intro).split())


def test_the_page_says_to_book_here_or_call_the_clinic(cast, patient_client):
    response = patient_client.get(PAGE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Your appointments</h1>" in page
    assert intro_of(page) == (
        "Book an appointment here, or call Riverside Family Clinic on 555-0100. "
        "To change or cancel an appointment, open it from the list below."
    )
    assert 'on <a href="tel:555-0100">555-0100</a>.' in page


def test_a_clinic_without_a_phone_number_is_still_named(cast, patient_client):
    cast.clinic.phone = ""
    cast.clinic.save()
    page = patient_client.get(PAGE).content.decode()
    assert intro_of(page) == (
        "Book an appointment here, or call Riverside Family Clinic. "
        "To change or cancel an appointment, open it from the list below."
    )
    assert "tel:" not in page


def test_an_honest_empty_state(cast, patient_client):
    store(cast.patient, encounter(cast.patient, "2026-02-01T15:00:00Z"))
    page = patient_client.get(PAGE).content.decode()
    assert '<p class="empty-state">There are no upcoming appointments.</p>' in page
    assert (
        '<p class="empty-state">No past appointments are recorded here. The clinic may hold '
        "records from before it used this portal.</p>"
    ) in page
    assert '<li class="appointment">' not in page


def test_never_shown_another_patients_held_or_entered_in_error_appointments(cast, patient_client):
    pat, sam = cast.patient, cast.second_patient
    store(sam, appointment(sam, utc(3, 5, 16), kind="Sam's visit"))
    _mistaken, held, _kept = store(
        pat,
        appointment(pat, utc(3, 5, 17), status="entered-in-error", kind="Mistake"),
        appointment(pat, utc(3, 5, 18), kind="Not yet released"),
        appointment(pat, utc(3, 5, 19), kind="Kept"),
    )
    ClinicalResource.objects.filter(pk=held.pk).update(release=Release.HELD)
    assert [text.split(" Visit ")[1].split(" With ")[0] for text in upcoming(patient_client)] == [
        "Kept"
    ]
    assert past(patient_client) == []


def test_a_booked_appointment_the_ehr_sent_without_a_time_is_listed_with_the_others(
    cast, patient_client
):
    store(cast.patient, appointment(cast.patient, None, kind="Flu shot"))
    assert upcoming(patient_client) == []
    assert past(patient_client) == [
        card("Time not set yet", "Flu shot", CHEN, OFFICE, "Booked"),
    ]


def test_pat_sees_her_sensitive_appointment(cast, patient_client):
    store(
        cast.patient, appointment(cast.patient, utc(3, 5, 14), kind="Counselling", meta=SENSITIVE)
    )
    assert upcoming(patient_client) == [
        card("Thursday, March 5, 2026, 9:00 a.m.", "Counselling", CHEN, OFFICE, "Booked")
    ]


def test_past_appointments_come_ten_to_a_page_behind_an_earlier_link(cast, patient_client):
    pat = cast.patient
    store(pat, *(appointment(pat, utc(1, 1 + n, 15), status="fulfilled") for n in range(15)))
    first = past(patient_client)
    assert (len(first), first[0][:31], first[-1][:31]) == (
        10,
        "Thursday, January 15, 2026, 10:",
        "Tuesday, January 6, 2026, 10:00",
    )
    second = past(patient_client, page="2")
    assert (len(second), second[0][:30], second[-1][:30]) == (
        5,
        "Monday, January 5, 2026, 10:00",
        "Thursday, January 1, 2026, 10:",
    )
    page = patient_client.get(PAGE).content.decode()
    assert '<nav class="section-pages" aria-label="Pages of past appointments">' in page
    assert '<a href="?page=2" rel="next">Earlier appointments</a>' in page
    assert 'rel="prev"' not in page


def test_only_the_next_fifty_upcoming_are_listed(cast, patient_client):
    pat = cast.patient
    day = datetime.timedelta(days=1)
    store(pat, *(appointment(pat, utc(4, 1, 13) + n * day) for n in range(51)))
    response = patient_client.get(PAGE)
    assert len(texts(response, "upcoming-heading")) == 50
    assert texts(response, "upcoming-heading")[-1].startswith("Wednesday, May 20, 2026, 9:00 a.m.")
    assert (
        "Only the next 50 appointments are shown here. Your clinic can tell you about the others."
        in response.content.decode()
    )


def test_the_navigation_leads_to_the_page(cast, patient_client):
    page = patient_client.get(PAGE).content.decode()
    assert '<a href="/appointments/" aria-current="page">Appointments</a>' in page
    assert reverse("scheduling:appointments") == "/appointments/"


def test_the_page_is_read_only(cast, patient_client):
    assert patient_client.post(PAGE).status_code == 405


# The page's queries on a request after the first: the session and the user (the acting patient
# and the navigation's count are kept between requests, the session's activity written once a
# minute: issue 19), the audit's one INSERT, and the appointments page's nine
# (`list_appointments`).
QUERIES = 12


def _queries(client, assert_num_queries) -> None:
    # A change to the record renews what is kept for the viewer: measure the request after.
    assert client.get(PAGE).status_code == 200
    with assert_num_queries(QUERIES):
        assert client.get(PAGE).status_code == 200


def _some(pat, count: int) -> list[dict]:
    """`count` appointments, a third of them still to come."""
    return [
        appointment(pat, utc(3, 5, 14) if n % 3 == 0 else utc(2, 5, 14), status="booked")
        for n in range(count)
    ]


def test_the_page_costs_the_same_queries_for_3_appointments_as_for_300(
    cast, patient_client, django_assert_num_queries
):
    store(cast.patient, *_some(cast.patient, 3))
    # The session's first request records the sign-in session; measure from the second.
    patient_client.get(PAGE)
    _queries(patient_client, django_assert_num_queries)
    store(cast.patient, *_some(cast.patient, 297))
    _queries(patient_client, django_assert_num_queries)
    assert len(upcoming(patient_client)) == 50
    assert len(past(patient_client)) == 10
