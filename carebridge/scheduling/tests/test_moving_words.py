"""Whole sentences, with the date inside, when moving an appointment or waiting for an earlier
time: "Your appointment is now booked for …" and "Your Check-up is booked for …", and their
caregiver versions ("Pat Patient's appointment …"), never glued from pieces."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from carebridge.scheduling.models import Appointment, BookedAs
from carebridge.scheduling.tests.factories import local, make_appointment, make_hours, make_schedule
from carebridge.scheduling.tests.pages import words

pytestmark = pytest.mark.django_db

THURSDAY = 3
BOOKED_FOR = "9:00 a.m. on Thursday, March 12, 2026"
WAITING = (
    "If an earlier time opens, we will send an e-mail. "
    "Your appointment stays booked until you accept a new time."
)


@pytest.fixture
def schedule(cast):
    """Dr Okafor's check-ups, Thursdays 9 to 10 a.m."""
    schedule = make_schedule(cast.clinic, name="Check-up")
    make_hours(schedule.practitioner, schedule.location, THURSDAY, "09:00", "10:00")
    return schedule


@pytest.fixture
def visit(cast, schedule) -> Appointment:
    """Pat's check-up next Thursday at 9."""
    return make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 12, 9),
        booked_as=BookedAs.SELF,
        booked_by=cast.patient_user,
    )


def confirm_page(visit, schedule) -> str:
    chosen = f"{schedule.practitioner.pk}_{schedule.location.pk}_{local(2026, 3, 5, 9).isoformat()}"
    url = reverse("scheduling:appointment-reschedule", args=[visit.pk])
    return url + "?" + urlencode({"time": chosen})


def paragraph(html: str, css_class: str) -> str:
    found = re.search(rf'<p class="{css_class}">(.*?)</p>', html, re.S)
    assert found is not None
    return words(found.group(1))


def test_moving_says_when_the_appointment_is_now_in_one_sentence(patient_client, visit, schedule):
    html = patient_client.get(confirm_page(visit, schedule)).content.decode()
    assert paragraph(html, "moving-from") == (
        f"Your appointment is now booked for {BOOKED_FOR}. "
        "It will be cancelled when the new time is booked."
    )


def test_a_caregiver_moving_it_reads_pats_appointment(cast, act_as, visit, schedule):
    client = act_as(cast.proxies.appointments_caregiver, cast.patient)
    html = client.get(confirm_page(visit, schedule)).content.decode()
    assert paragraph(html, "moving-from") == (
        f"Pat Patient's appointment is now booked for {BOOKED_FOR}. "
        "It will be cancelled when the new time is booked."
    )


def test_the_waiting_list_says_when_it_is_booked_in_one_sentence(patient_client, visit):
    url = reverse("scheduling:appointment-waitlist", args=[visit.pk])
    html = patient_client.get(url).content.decode()
    assert paragraph(html, "booked-for") == f"Your Check-up is booked for {BOOKED_FOR}. {WAITING}"


def test_a_caregiver_on_the_waiting_list_reads_pats_check_up(cast, act_as, visit):
    client = act_as(cast.proxies.appointments_caregiver, cast.patient)
    url = reverse("scheduling:appointment-waitlist", args=[visit.pk])
    html = client.get(url).content.decode()
    assert paragraph(html, "booked-for") == (
        f"Pat Patient's Check-up is booked for {BOOKED_FOR}. {WAITING}"
    )
