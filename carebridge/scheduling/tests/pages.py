"""What the appointments tests share: Pat's appointments, and the page read back as text."""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse

from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.testing.records import appointment, store

UTC = datetime.UTC
PAGE = reverse("scheduling:appointments")
SENSITIVE = {
    "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "PSY"}]
}


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


@dataclass
class PatsAppointments:
    """Pat's appointments, as her clinic's EHR sent them (see `add_pats_appointments`)."""

    checked_in: ClinicalResource
    follow_up: ClinicalResource
    physical: ClinicalResource
    cancelled: ClinicalResource
    overdue: ClinicalResource
    attended: ClinicalResource
    missed: ClinicalResource
    proposed: ClinicalResource


def add_pats_appointments(pat: Patient) -> PatsAppointments:
    """Three to come (one of them after the clocks go forward) and five others, stored in an
    order unlike the page's, so the page's order is its own."""
    rows = store(
        pat,
        appointment(pat, utc(2, 10, 19, 30), status="fulfilled"),
        appointment(
            pat,
            utc(3, 9, 13),
            status="pending",
            kind="Annual physical",
            clinician="Daniel Okafor, DO",
            place="Riverside Family Clinic",
        ),
        appointment(pat, utc(3, 6, 16), status="cancelled"),
        appointment(pat, utc(3, 5, 14)),
        appointment(pat, utc(11, 3, 17, year=2025), status="noshow", kind="Sick visit"),
        appointment(pat, None, status="proposed", kind="", clinician="", place=""),
        appointment(pat, utc(3, 4, 15), status="arrived", kind="Sick visit"),
        appointment(pat, utc(3, 4, 14, 45)),
    )
    attended, physical, cancelled, follow_up, missed, proposed, checked_in, overdue = rows
    return PatsAppointments(
        checked_in, follow_up, physical, cancelled, overdue, attended, missed, proposed
    )


def texts(response: Any, heading_id: str) -> list[str]:
    """Each appointment card of one section of the page, as its words."""
    page = response.content.decode()
    section = page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]
    cards = re.findall(r'<li class="appointment">(.*?)</li>', section, re.S)
    # The link of a card from the EHR to its page is tested apart (test_clinic_booked_page).
    cards = [re.sub(r'<p><a href="/appointments/clinic/[^"]+/">.*?</p>', "", c) for c in cards]
    return [words(card) for card in cards]


def words(fragment: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment).split()))


def upcoming(client: Client, **params: Any) -> list[str]:
    return texts(client.get(PAGE, params), "upcoming-heading")


def past(client: Client, **params: Any) -> list[str]:
    return texts(client.get(PAGE, params), "past-heading")


def card(when: str, kind: str, clinician: str, place: str, status: str) -> str:
    return f"{when} Visit {kind} With {clinician} Where {place} Status {status}"
