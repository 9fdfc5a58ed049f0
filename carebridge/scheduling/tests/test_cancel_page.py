"""Cancelling from the appointment's page: the confirmation, the window, the e-mail, the audit."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import AppointmentStatus
from carebridge.scheduling.tests.booked import PatsBookings, add_pats_bookings, in_hours
from carebridge.scheduling.tests.pages import words
from carebridge.testing.clients import flashed

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(cast) -> PatsBookings:
    return add_pats_bookings(cast.patient, cast.proxies.full_caregiver)


def cancel_url(appointment) -> str:
    return reverse("scheduling:appointment-cancel", args=[appointment.pk])


def updates() -> list[tuple]:
    rows = AuditEvent.objects.filter(object_type="appointment").order_by("sequence")
    return [(e.actor.email, e.acting_as, e.action, e.object_id) for e in rows]


def test_the_confirmation_page_asks_for_an_optional_reason(patient_client, bookings):
    response = patient_client.get(cancel_url(bookings.upcoming))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Cancel this appointment?</h1>" in html
    assert '<label for="id_reason">Why are you cancelling? (optional)</label>' in html
    assert "Only the clinic sees this." in html
    assert bookings.upcoming.status == AppointmentStatus.BOOKED


def test_pat_cancels_with_a_reason(cast, patient_client, bookings):
    visit = bookings.upcoming
    response = patient_client.post(cancel_url(visit), {"reason": "Feeling better"})
    assert response.status_code == 302
    assert response["Location"] == f"/appointments/{visit.pk}/"
    assert flashed(response) == ["The appointment is cancelled."]
    visit.refresh_from_db()
    assert (visit.status, visit.cancel_reason, visit.cancelled_by) == (
        AppointmentStatus.CANCELLED,
        "Feeling better",
        cast.patient_user,
    )
    assert updates() == [("pat@example.org", "self", "update", str(visit.pk))]


def test_the_email_holds_no_health_information(
    patient_client, bookings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(cancel_url(bookings.upcoming), {"reason": "Feeling better"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Carebridge] An appointment was cancelled"
    assert message.to == ["pat@example.org"]
    assert message.body == (
        "Your appointment on Monday, March 9, 2026 at 9:30 a.m. EDT has been cancelled.\n\n"
        "Sign in to see the details:\n\nhttp://127.0.0.1:8000/account/login/\n"
    )


def test_cora_cancels_for_pat_as_a_proxy(cast, act_as, bookings):
    cora = cast.proxies.full_caregiver
    act_as(cora, cast.patient).post(cancel_url(bookings.upcoming), {"reason": ""})
    bookings.upcoming.refresh_from_db()
    assert bookings.upcoming.status == AppointmentStatus.CANCELLED
    assert updates() == [(cora.email, "proxy", "update", str(bookings.upcoming.pk))]


def test_a_reason_longer_than_500_characters_is_refused(patient_client, bookings):
    response = patient_client.post(cancel_url(bookings.upcoming), {"reason": "x" * 501})
    assert response.status_code == 200
    assert "Ensure this value has at most 500 characters (it has 501)." in (
        response.content.decode()
    )
    bookings.upcoming.refresh_from_db()
    assert bookings.upcoming.status == AppointmentStatus.BOOKED
    assert mail.outbox == []


def test_inside_the_window_the_page_says_why_and_gives_the_phone(cast, act_as, bookings):
    visit = bookings.upcoming
    # Signed in afresh on the day: a session from days before would have timed out.
    with time_machine.travel(in_hours(visit, 23), tick=False):
        patient_client = act_as(cast.patient_user, None)
        response = patient_client.get(cancel_url(visit))
        posted = patient_client.post(cancel_url(visit), {"reason": "Late"})
    html = response.content.decode()
    assert "<h1>This appointment cannot be cancelled online</h1>" in html
    assert words(html.split("</h1>", 2)[1].split('<dl class="facts">')[0]) == (
        "Appointments can be cancelled online until 24 hours before they start. "
        "To cancel now, please call the clinic on 555-0100. "
        "Call Riverside Family Clinic on 555-0100 ."
    )
    assert 'href="tel:555-0100"' in html
    assert posted.status_code == 200
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED
    assert (updates(), mail.outbox) == ([], [])


def test_just_before_the_window_closes_it_may_be_cancelled(cast, act_as, bookings):
    visit = bookings.upcoming
    with time_machine.travel(in_hours(visit, 24), tick=False):
        act_as(cast.patient_user, None).post(cancel_url(visit), {"reason": ""})
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CANCELLED


def test_a_cancelled_appointment_cannot_be_cancelled_again(patient_client, bookings):
    response = patient_client.post(cancel_url(bookings.cancelled), {"reason": ""})
    assert "This appointment can no longer be cancelled." in response.content.decode()
    assert (updates(), mail.outbox) == ([], [])


def test_sam_cannot_cancel_pats_appointment(cast, act_as, bookings):
    client = act_as(cast.second_patient_user, None)
    assert client.post(cancel_url(bookings.upcoming), {"reason": ""}).status_code == 404
    bookings.upcoming.refresh_from_db()
    assert bookings.upcoming.status == AppointmentStatus.BOOKED
    assert (updates(), mail.outbox) == ([], [])
