"""The home page's appointments panel: the next appointment (when, with whom, where), or that
there is none; nothing for those who may not see appointments."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.proxies.acting import ActingContext, Relationship
from carebridge.scheduling.panels import appointments_panel
from carebridge.scheduling.tests.booked import add_pats_bookings
from carebridge.scheduling.tests.pages import SENSITIVE, add_pats_appointments, utc, words
from carebridge.testing.records import appointment, store

pytestmark = pytest.mark.django_db


def panel_text(client) -> str:
    page = client.get("/").content.decode()
    if ">Appointments</h2>" not in page:
        return ""
    return words(page.split(">Appointments</h2>", 1)[1].split("</section>", 1)[0])


def audited() -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(object_type="appointments").order_by("sequence")
    return [(e.acting_as, e.object_id, e.outcome) for e in rows]


def test_the_panel_shows_pats_next_appointment_without_its_kind(cast, patient_client):
    rows = add_pats_appointments(cast.patient)
    assert panel_text(patient_client) == (
        "Next appointment: When Wednesday, March 4, 2026, 10:00 a.m. With Maya Chen, MD "
        "Where Main Street Office See this appointment See all appointments"
    )
    page = patient_client.get("/").content.decode()
    assert '<a href="/appointments/">See all appointments</a>' in page
    assert f'href="/appointments/clinic/{rows.checked_in.api_id}/"' in page
    assert "Sick visit" not in page
    assert audited() == [("self", str(rows.checked_in.pk), "success")] * 2


def test_the_panel_gives_the_time_in_the_clinics_zone(cast, patient_client, settings):
    settings.TIME_ZONE = "UTC"
    store(cast.patient, appointment(cast.patient, utc(3, 9, 13)))
    assert panel_text(patient_client).startswith(
        "Next appointment: When Monday, March 9, 2026, 9:00 a.m. With"
    )


def test_the_panel_says_when_nothing_is_coming_and_audits_nothing(cast, patient_client):
    store(cast.patient, appointment(cast.patient, utc(2, 9, 13), status="fulfilled"))
    store(cast.patient, appointment(cast.patient, utc(3, 9, 13), status="cancelled"))
    assert panel_text(patient_client) == ("You have no upcoming appointments. See all appointments")
    assert audited() == []


def test_a_caregiver_is_shown_the_next_appointment_they_may_see(cast, act_as):
    pat = cast.patient
    _hidden, shown = store(
        pat,
        appointment(pat, utc(3, 5, 14), kind="Counselling", clinician="Dr Private", meta=SENSITIVE),
        appointment(pat, utc(3, 6, 15), clinician="Daniel Okafor, DO"),
    )
    client = act_as(cast.proxies.appointments_caregiver, pat)
    assert panel_text(client) == (
        "Next appointment: When Friday, March 6, 2026, 10:00 a.m. With Daniel Okafor, DO "
        "Where Main Street Office See this appointment See all appointments"
    )
    assert audited() == [("proxy", str(shown.pk), "success")]


def test_a_caregiver_is_told_in_the_patients_name_when_nothing_is_coming(cast, act_as):
    client = act_as(cast.proxies.full_caregiver, cast.patient)
    assert panel_text(client) == "Pat Patient has no upcoming appointments. See all appointments"


def test_no_panel_for_a_proxy_without_the_scope_or_anyone_acting_for_nobody(cast):
    pat = cast.patient
    without_scope = ActingContext(
        user=cast.visitor,
        patient=pat,
        relationship=Relationship.PROXY,
        scopes=frozenset({"results"}),
    )
    staff = ActingContext(user=cast.clinician, relationship=Relationship.STAFF)
    for acting in (without_scope, staff, ActingContext(user=cast.visitor)):
        request = SimpleNamespace(acting=acting)
        assert appointments_panel(request) is None  # type: ignore[arg-type]


def test_the_panel_is_placed_after_the_to_do_list(cast, patient_client):
    page = patient_client.get("/").content.decode()
    headings = re.findall(r'<h2 id="panel-\d">([^<]+)</h2>', page)
    assert headings == ["To do", "Appointments", "Messages", "Test results"]


def test_the_panel_shows_an_appointment_booked_here_when_it_comes_first(cast, patient_client):
    """Booked in Carebridge on Monday, March 9, before the EHR's of 10 March: the panel shows
    the booked one, with a link to its page."""
    store(cast.patient, appointment(cast.patient, utc(3, 10, 14), clinician="Daniel Okafor, DO"))
    booked = add_pats_bookings(cast.patient, cast.proxies.full_caregiver).upcoming
    assert panel_text(patient_client) == (
        "Next appointment: When Monday, March 9, 2026, 9:30 a.m. With Sam Okafor, MD "
        "Where " + booked.location.name + " See this appointment See all appointments"
    )
    page = patient_client.get("/").content.decode()
    assert f'<a href="/appointments/{booked.pk}/">See this appointment</a>' in page
    assert "Sore knee" not in page
    assert audited()[-1] == ("self", str(booked.pk), "success")


def test_the_panel_prefers_the_ehrs_appointment_when_it_comes_first(cast, patient_client):
    store(cast.patient, appointment(cast.patient, utc(3, 5, 14), clinician="Daniel Okafor, DO"))
    add_pats_bookings(cast.patient, cast.proxies.full_caregiver)
    assert panel_text(patient_client).startswith(
        "Next appointment: When Thursday, March 5, 2026, 9:00 a.m. With Daniel Okafor, DO"
    )


def test_a_cancelled_or_past_booking_is_not_the_next_appointment(cast, patient_client):
    bookings = add_pats_bookings(cast.patient, cast.proxies.full_caregiver)
    bookings.upcoming.status = "cancelled"
    bookings.upcoming.save()
    assert panel_text(patient_client) == ("You have no upcoming appointments. See all appointments")
