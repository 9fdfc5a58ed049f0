"""The page of one appointment booked in Carebridge: what it says, to whom, and its audit."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import BookedAs
from carebridge.scheduling.tests.booked import PatsBookings, add_pats_bookings
from carebridge.scheduling.tests.pages import words

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(cast) -> PatsBookings:
    return add_pats_bookings(cast.patient, cast.proxies.full_caregiver)


def page(appointment) -> str:
    return reverse("scheduling:appointment-detail", args=[appointment.pk])


def facts(response) -> str:
    html = response.content.decode()
    return words(html.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0])


def events() -> list[tuple]:
    rows = AuditEvent.objects.filter(object_type="appointments").order_by("sequence")
    return [(e.actor.email, e.acting_as, e.action, e.object_id, e.outcome) for e in rows]


def test_pat_sees_when_with_whom_where_and_why(cast, patient_client, bookings):
    visit = bookings.upcoming
    response = patient_client.get(page(visit))
    office = bookings.schedule.location
    assert response.status_code == 200
    assert "<h1>Your appointment</h1>" in response.content.decode()
    assert facts(response) == (
        "When Monday, March 9, 2026, 9:30 a.m. (30 minutes) Visit Check-up How In person "
        f"With Sam Okafor, MD Where {office.name} {office.address_line}, Springfield, MA 01101 "
        "Directions (opens a map) Status Booked Reason Sore knee; worse on stairs "
        "Booked Booked by Cora Caregiver for Pat Patient"
    )


def test_the_directions_link_searches_the_address_only(patient_client, bookings):
    number = bookings.schedule.location.address_line.split()[0]
    response = patient_client.get(page(bookings.upcoming))
    expected = (
        "https://www.openstreetmap.org/search?query="
        f"{number}+Main+Street%2C+Springfield%2C+MA+01101"
    )
    assert f'href="{expected}"' in response.content.decode()


def test_the_page_links_to_the_calendar_file_and_cancelling(patient_client, bookings):
    visit = bookings.upcoming
    html = patient_client.get(page(visit)).content.decode()
    assert f'href="/appointments/{visit.pk}/calendar.ics"' in html
    assert f'href="/appointments/{visit.pk}/cancel/"' in html


def test_a_cancelled_appointment_offers_only_to_mark_it_cancelled_in_a_calendar(
    patient_client, bookings
):
    visit = bookings.cancelled
    response = patient_client.get(page(visit))
    html = response.content.decode()
    assert "Status Cancelled" in facts(response)
    assert "Add to calendar" not in html
    assert "Mark it cancelled in your calendar (.ics file)" in html
    assert "/cancel/" not in response.content.decode()


def test_who_booked_it_in_words(cast, patient_client, bookings):
    visit = bookings.upcoming
    visit.booked_as, visit.booked_by = BookedAs.SELF, cast.patient_user
    visit.save()
    assert facts(patient_client.get(page(visit))).endswith("Booked Booked by Pat Patient")
    visit.booked_as, visit.booked_by = BookedAs.STAFF, cast.front_desk
    visit.save()
    assert facts(patient_client.get(page(visit))).endswith("Booked Booked by the clinic")


@pytest.mark.parametrize("persona", ["full_caregiver", "appointments_caregiver"])
def test_pats_caregivers_see_it_with_the_reason_and_it_is_audited(cast, act_as, bookings, persona):
    proxy = getattr(cast.proxies, persona)
    response = act_as(proxy, cast.patient).get(page(bookings.upcoming))
    assert "<h1>Appointment for Pat Patient</h1>" in response.content.decode()
    assert "Reason Sore knee; worse on stairs" in facts(response)
    assert events() == [(proxy.email, "proxy", "view", str(bookings.upcoming.pk), "success")]


def test_pats_appointment_is_not_found_for_sam(cast, act_as, bookings):
    client = act_as(cast.second_patient_user, None)
    assert client.get(page(bookings.upcoming)).status_code == 404
    assert events() == []


def test_an_appointment_that_does_not_exist_is_not_found(patient_client, bookings):
    response = patient_client.get(reverse("scheduling:appointment-detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_a_proxy_without_the_appointments_scope_is_refused_and_audited(cast, act_as, bookings):
    from carebridge.proxies.models import ProxyScope

    grant = cast.proxies.grants["full_caregiver"]
    grant.scopes = [s for s in grant.scopes if s != ProxyScope.APPOINTMENTS]
    grant.save()
    proxy = cast.proxies.full_caregiver
    response = act_as(proxy, cast.patient).get(page(bookings.upcoming))
    assert response.status_code == 404
    assert events() == [(proxy.email, "proxy", "view", str(bookings.upcoming.pk), "denied")]
