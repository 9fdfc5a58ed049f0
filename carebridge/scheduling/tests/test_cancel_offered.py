"""The appointment page offers "Cancel" and "Move" only when the rules allow it; otherwise it
says why and to call the clinic, and the cancel address refuses anyway."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from carebridge.scheduling.models import AppointmentStatus
from carebridge.scheduling.tests.booked import PatsBookings, add_pats_bookings, in_hours
from carebridge.scheduling.tests.pages import words

pytestmark = pytest.mark.django_db

REFUSAL = (
    "This appointment can no longer be cancelled or moved online, because it is less than "
    "24 hours away. To cancel or move it, please call the clinic on 555-0100. Call 555-0100"
)


@pytest.fixture
def bookings(cast) -> PatsBookings:
    return add_pats_bookings(cast.patient, cast.proxies.full_caregiver)


def actions(html: str) -> str:
    return words(html.split('<ul class="actions">', 1)[1].split("</ul>", 1)[0])


def test_cancel_and_move_are_offered_outside_the_window(patient_client, bookings):
    visit = bookings.upcoming
    html = patient_client.get(reverse("scheduling:appointment-detail", args=[visit.pk])).content
    assert actions(html.decode()) == (
        "Add to calendar (.ics file) Move to another time Cancel this appointment "
        "Tell me if an earlier time opens"
    )


def test_inside_the_window_the_page_says_why_and_what_to_do(cast, act_as, bookings):
    visit = bookings.upcoming
    # Signed in afresh on the day: a session from days before would have timed out.
    with time_machine.travel(in_hours(visit, 23), tick=False):
        patient_client = act_as(cast.patient_user, None)
        response = patient_client.get(reverse("scheduling:appointment-detail", args=[visit.pk]))
    html = response.content.decode()
    assert actions(html) == (
        f"Add to calendar (.ics file) {REFUSAL} Tell me if an earlier time opens"
    )
    assert f"/appointments/{visit.pk}/cancel/" not in html
    assert f"/appointments/{visit.pk}/reschedule/" not in html
    assert 'href="tel:555-0100"' in html


def test_inside_the_window_the_cancel_post_is_refused_anyway(cast, act_as, bookings):
    visit = bookings.upcoming
    with time_machine.travel(in_hours(visit, 23), tick=False):
        patient_client = act_as(cast.patient_user, None)
        url = reverse("scheduling:appointment-cancel", args=[visit.pk])
        response = patient_client.post(url, {"reason": "Feeling better"})
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED
