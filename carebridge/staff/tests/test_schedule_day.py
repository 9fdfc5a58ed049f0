"""The console's day and week views and the page of one appointment."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import Appointment, AppointmentStatus
from carebridge.scheduling.tests.factories import local, make_schedule, make_time_off
from carebridge.staff.tests.schedule_setup import (  # noqa: F401
    NOW,
    Desk,
    check_in,
    frozen_clock,
    make_desk,
)
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

DAY = reverse("staff:schedule-day")
WEEK = reverse("staff:schedule-week")


@pytest.fixture
def setup(cast: Cast) -> Desk:
    return make_desk(cast)


def page_text(html: str) -> str:
    """The page's words, tags removed and spaces collapsed."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([:,.)])", r"\1", words)


def appointment_url(appointment: Appointment) -> str:
    return reverse("staff:schedule-appointment", args=[appointment.pk])


# The day.


def test_the_day_shows_each_clinicians_appointments_in_clinic_time(setup: Desk) -> None:
    cast = setup.cast
    pats = setup.book(cast.patient, local(2026, 3, 4, 9, 30))
    setup.book(cast.second_patient, local(2026, 3, 4, 14), status=AppointmentStatus.ARRIVED)
    setup.book(cast.second_patient, local(2026, 3, 4, 15), status=AppointmentStatus.CANCELLED)
    setup.book(cast.second_patient, local(2026, 3, 5, 9))
    check_in(pats, cast.patient_user)
    make_time_off(
        cast.clinic,
        local(2026, 3, 4, 12),
        local(2026, 3, 4, 13),
        practitioner=setup.schedule.practitioner,
        note="Team meeting",
    )
    response = client_for(cast.front_desk).get(DAY)
    assert response.status_code == 200
    text = page_text(response.content.decode())
    assert "Schedule: Wednesday, March 4, 2026" in text
    assert "Sam Okafor, MD" in text
    rows = re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S)
    assert [page_text(row) for row in rows[1:]] == [
        "9:30 a.m. Pat Patient Check-up (In person), "
        f"{setup.schedule.location.name} Booked Checked in online",
        f"2:00 p.m. Sam Second Check-up (In person), {setup.schedule.location.name} Checked in",
    ]
    assert (
        "Blocked time: Wednesday, March 4, 2026, 12:00 p.m. to Wednesday, March 4, 2026, "
        "1:00 p.m. — Team meeting"
    ) in text
    assert f'href="{appointment_url(pats)}"' in response.content.decode()


def test_a_9_am_appointment_on_the_day_the_clocks_go_forward_shows_as_9_am(
    setup: Desk,
) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 8, 9))
    assert visit.starts_at.hour == 13
    response = client_for(setup.cast.nurse).get(DAY, {"date": "2026-03-08"})
    text = page_text(response.content.decode())
    assert "Schedule: Sunday, March 8, 2026" in text
    assert "9:00 a.m. Pat Patient" in text
    assert (
        '<time datetime="2026-03-08T09:00:00-04:00">9:00 a.m.</time>' in response.content.decode()
    )


def test_the_day_can_be_filtered_by_clinician_and_place(setup: Desk) -> None:
    cast = setup.cast
    schedule = setup.schedule
    setup.book(cast.patient, local(2026, 3, 4, 9))
    lee = schedule.other_practitioner
    setup.book(cast.second_patient, local(2026, 3, 4, 9), practitioner=lee)
    client = client_for(cast.clinician)
    only_lee = page_text(client.get(DAY, {"practitioner": lee.pk}).content.decode())
    assert "Sam Second" in only_lee
    assert not mentions(only_lee, "Pat")
    elsewhere = client.get(DAY, {"location": schedule.other_location.pk}).content.decode()
    assert "No appointments or blocked time on this day." in page_text(elsewhere)


def test_previous_and_next_days_keep_the_filters(setup: Desk) -> None:
    who = setup.schedule.practitioner.pk
    response = client_for(setup.cast.front_desk).get(
        DAY, {"date": "2026-03-08", "practitioner": who}
    )
    html = response.content.decode()
    assert f'href="{DAY}?date=2026-03-07&amp;practitioner={who}" rel="prev"' in html
    assert f'href="{DAY}?date=2026-03-09&amp;practitioner={who}" rel="next"' in html
    assert f'href="{WEEK}?date=2026-03-08&amp;practitioner={who}"' in html


def test_another_clinics_appointments_are_not_shown(setup: Desk) -> None:
    other = make_schedule(setup.cast.other_clinic)
    stranger = factories.make_patient(setup.cast.other_clinic, given_name="Zed", family_name="Z")
    setup.book(
        stranger,
        local(2026, 3, 4, 11),
        visit_type=other.visit_type,
        practitioner=other.practitioner,
        location=other.location,
    )
    mine = page_text(client_for(setup.cast.front_desk).get(DAY).content.decode())
    assert not mentions(mine, "Zed")
    theirs = page_text(client_for(setup.cast.other_clinic_admin).get(DAY).content.decode())
    assert "Zed Z" in theirs


def count_queries(client: Client, url: str, params: dict[str, str]) -> int:
    # The first request after signing in also records the session: warm up first.
    client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [DAY, WEEK])
def test_the_day_and_week_cost_the_same_queries_for_few_or_many_appointments(
    setup: Desk, url: str
) -> None:
    cast = setup.cast
    client = client_for(cast.front_desk)
    first = setup.book(cast.patient, local(2026, 3, 4, 9))
    check_in(first, cast.patient_user)
    few = count_queries(client, url, {"date": "2026-03-04"})
    for n in range(1, 14):
        visit = setup.book(
            cast.second_patient, local(2026, 3, 4, 9, 0) + n * (first.ends_at - first.starts_at)
        )
        check_in(visit, cast.second_patient_user)
        make_time_off(cast.clinic, local(2026, 3, 2, 1, n), local(2026, 3, 2, 2, n))
    many = count_queries(client, url, {"date": "2026-03-04"})
    assert few == many
    # The sign-in, session and permission checks, then the filters and two reads, then the
    # audit of the patients shown: two bulk inserts inside one savepoint.
    assert many <= 22


# The week.


def test_the_week_starts_on_monday_and_lists_each_days_appointments(setup: Desk) -> None:
    cast = setup.cast
    setup.book(cast.patient, local(2026, 3, 9, 9, 30))
    setup.book(cast.second_patient, local(2026, 3, 12, 16))
    setup.book(cast.second_patient, local(2026, 3, 16, 9))
    response = client_for(cast.front_desk).get(WEEK, {"date": "2026-03-11"})
    text = page_text(response.content.decode())
    assert "Week of Monday, March 9 to Sunday, March 15, 2026" in text
    days = re.findall(r'<h2 id="day-[^>]*>(.*?)</h2>', response.content.decode(), re.S)
    assert [page_text(day) for day in days] == [
        "Monday, March 9",
        "Tuesday, March 10",
        "Wednesday, March 11",
        "Thursday, March 12",
        "Friday, March 13",
        "Saturday, March 14",
        "Sunday, March 15",
    ]
    assert "Monday, March 9 9:30 a.m.: Pat Patient, with Sam Okafor, MD. Booked" in text
    assert "Thursday, March 12 4:00 p.m.: Sam Second, with Sam Okafor, MD. Booked" in text
    assert not mentions(text, "16")


# One appointment.


def test_the_appointment_page_shows_the_patient_the_visit_and_the_online_check_in(
    setup: Desk,
) -> None:
    cast = setup.cast
    visit = setup.book(cast.patient, local(2026, 3, 4, 10, 30), reason="Sore knee")
    check_in(visit, cast.patient_user)
    response = client_for(cast.nurse).get(appointment_url(visit))
    text = page_text(response.content.decode())
    for fact in (
        "Patient Pat Patient",
        "Date of birth March 14, 1956",
        "Medical record number RFC-1001",
        "When Wednesday, March 4, 2026, 10:30 a.m. to 11:00 a.m.",
        "Visit Check-up (In person)",
        "With Sam Okafor, MD",
        "Reason Sore knee",
        "Status Booked",
        "Booked by Fran Frontdesk (Clinic staff)",
        "Checked in online by Pat Patient (The patient)",
        "Contact details confirmed Yes",
        "Insurance company Acme Health",
        "Member ID ACM-555",
        "Group number G-12",
        "Changes to allergies New: penicillin rash",
        "Changes to medicines None",
        "Any fever? No",
        "Expected copay $25.00",
    ):
        assert fact in text, fact
    assert [b for b in ("Mark arrived", "Mark attended", "Mark missed") if b in text] == [
        "Mark arrived",
        "Mark attended",
    ]


def test_viewing_an_appointment_is_audited_for_the_patient(setup: Desk) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 10, 30))
    client_for(setup.cast.front_desk).get(appointment_url(visit))
    event = AuditEvent.objects.get(object_type="appointment")
    assert (event.action, event.object_id, event.patient, event.acting_as, event.actor) == (
        "view",
        str(visit.pk),
        setup.cast.patient,
        "staff",
        setup.cast.front_desk,
    )


@pytest.mark.parametrize("persona", ["other_clinic_admin", "billing"])
def test_other_clinics_and_billing_get_404(setup: Desk, persona: str) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 10, 30))
    client = client_for(getattr(setup.cast, persona))
    assert client.get(appointment_url(visit)).status_code == 404
    assert client.post(appointment_url(visit), {"action": "arrived"}).status_code == 404
    visit.refresh_from_db()
    assert visit.status == "booked"
    assert not AuditEvent.objects.filter(object_type="appointment").exists()


def test_the_desk_marks_a_patient_arrived(setup: Desk) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 10, 30))
    response = client_for(setup.cast.front_desk).post(appointment_url(visit), {"action": "arrived"})
    assert (response.status_code, response["Location"]) == (302, appointment_url(visit))
    assert flashed(response) == ["Marked as arrived."]
    visit.refresh_from_db()
    assert (visit.status, visit.arrived_at, visit.status_changed_by) == (
        "arrived",
        NOW,
        setup.cast.front_desk,
    )


def test_a_refused_mark_is_explained(setup: Desk) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 10, 30))
    response = client_for(setup.cast.front_desk).post(appointment_url(visit), {"action": "no_show"})
    assert flashed(response) == [
        "An appointment can be marked missed only once its start time has passed."
    ]
    assert Appointment.objects.get(pk=visit.pk).status == "booked"


def test_staff_cancel_with_a_reason_and_the_patient_is_told(
    setup: Desk, django_capture_on_commit_callbacks
) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 10, 30))
    client = client_for(setup.cast.clinician)
    refused = client.post(appointment_url(visit), {"action": "cancel", "reason": ""})
    assert refused.status_code == 200
    assert "Say why the appointment is cancelled." in refused.content.decode()
    assert Appointment.objects.get(pk=visit.pk).status == "booked"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            appointment_url(visit), {"action": "cancel", "reason": "Clinician is ill"}
        )
    assert flashed(response) == ["Cancelled. The patient has been sent an e-mail."]
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason, visit.cancelled_by) == (
        "cancelled",
        "Clinician is ill",
        setup.cast.clinician,
    )
    assert [(m.subject, m.body) for m in mail.outbox] == [
        (
            "[Carebridge] An appointment was cancelled",
            "Your appointment on Wednesday, March 4, 2026 at 10:30 a.m. EST has been cancelled.\n\n"
            f"Sign in to see the details:\n\n{settings.CAREBRIDGE_BASE_URL}/account/login/\n",
        )
    ]
    assert not mentions(mail.outbox[0].body, "ill")


def test_the_console_links_to_the_schedule_for_schedule_staff_only(cast: Cast) -> None:
    link = f'href="{DAY}"'
    assert link in client_for(cast.front_desk).get(reverse("staff:console")).content.decode()
    assert link not in client_for(cast.billing).get(reverse("staff:console")).content.decode()
