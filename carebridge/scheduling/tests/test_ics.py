"""The calendar file: valid RFC 5545, times in UTC, and nothing about the visit's health side."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.scheduling.ics import escape_text, fold
from carebridge.scheduling.tests.booked import PatsBookings, add_pats_bookings

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(cast) -> PatsBookings:
    return add_pats_bookings(cast.patient, cast.proxies.full_caregiver)


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: every line ends in CRLF; a line starting with a space continues the last."""
    assert text.endswith("\r\n")
    lines: list[str] = []
    for line in text[:-2].split("\r\n"):
        assert "\n" not in line and "\r" not in line
        assert len(line.encode()) <= 75
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def properties(text: str) -> list[tuple[str, str]]:
    return [tuple(line.split(":", 1)) for line in unfold(text)]  # type: ignore[misc]


def test_the_file_is_one_event_in_utc_at_the_clinic(cast, patient_client, bookings):
    visit = bookings.upcoming
    office = bookings.schedule.location
    response = patient_client.get(reverse("scheduling:appointment-ics", args=[visit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="appointment.ics"'
    assert properties(response.content.decode()) == [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", "-//Carebridge//Patient portal//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("BEGIN", "VEVENT"),
        ("UID", f"{visit.pk}@127.0.0.1"),
        ("DTSTAMP", "20260304T150000Z"),
        # 9:30 a.m. in New York on 9 March, after the clocks went forward, is 13:30 UTC.
        ("DTSTART", "20260309T133000Z"),
        ("DTEND", "20260309T140000Z"),
        ("SUMMARY", "Appointment at Riverside Family Clinic"),
        (
            "LOCATION",
            f"{office.name}\\, {office.address_line}\\, Springfield\\, MA 01101",
        ),
        ("STATUS", "CONFIRMED"),
        ("SEQUENCE", "0"),
        ("BEGIN", "VALARM"),
        ("ACTION", "DISPLAY"),
        ("DESCRIPTION", "Appointment at Riverside Family Clinic"),
        ("TRIGGER", "-PT1H"),
        ("END", "VALARM"),
        ("END", "VEVENT"),
        ("END", "VCALENDAR"),
    ]


def test_a_cancelled_appointments_file_cancels_the_same_event(cast, patient_client, bookings):
    visit = bookings.cancelled
    detail = patient_client.get(reverse("scheduling:appointment-detail", args=[visit.pk]))
    link = reverse("scheduling:appointment-ics", args=[visit.pk])
    assert f'<a href="{link}">Mark it cancelled in your calendar (.ics file)</a>' in (
        detail.content.decode()
    )
    response = patient_client.get(reverse("scheduling:appointment-ics", args=[visit.pk]))
    lines = properties(response.content.decode())
    assert ("UID", f"{visit.pk}@127.0.0.1") in lines
    assert lines[-4:] == [
        ("STATUS", "CANCELLED"),
        ("SEQUENCE", "1"),
        ("END", "VEVENT"),
        ("END", "VCALENDAR"),
    ]
    assert ("BEGIN", "VALARM") not in lines


def test_the_file_names_neither_the_reason_nor_the_visit_nor_the_clinician(
    patient_client, bookings
):
    visit = bookings.upcoming
    text = patient_client.get(reverse("scheduling:appointment-ics", args=[visit.pk])).content
    for secret in (b"knee", b"Check-up", b"Okafor"):
        assert secret not in text


def test_the_file_is_for_the_patient_and_their_proxies_only(cast, act_as, bookings):
    url = reverse("scheduling:appointment-ics", args=[bookings.upcoming.pk])
    assert act_as(cast.proxies.appointments_caregiver, cast.patient).get(url).status_code == 200
    assert act_as(cast.second_patient_user, None).get(url).status_code == 404


def test_text_is_escaped():
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_are_folded_at_75_octets_never_inside_a_character():
    line = "LOCATION:" + "é" * 80
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert [len(part.encode()) for part in parts] == [75, 74, 20]
    assert "".join(parts) == line


def test_a_short_line_is_left_alone():
    assert fold("SUMMARY:Hello") == "SUMMARY:Hello"
