"""The demo clinic's booking set-up: kinds of visit, who offers them, weekly hours, and that a
demo patient sees times to book; running the demo twice changes nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from carebridge.clinic.models import Clinic
from carebridge.demo.services import load_demo_clinic
from carebridge.scheduling.availability import available_slots
from carebridge.scheduling.models import VisitType, WeeklyHours

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clinic() -> Clinic:
    with time_machine.travel(NOW, tick=False):
        load_demo_clinic("carebridge-demo-2026", with_records=False)
    return Clinic.objects.get(slug="riverside")


def offered(clinic: Clinic) -> list[tuple[str, int, str, str, int | None, list[str]]]:
    rows = VisitType.objects.filter(clinic=clinic).prefetch_related("practitioners")
    return [
        (
            row.name,
            row.duration_minutes,
            row.mode,
            row.online_booking,
            row.copay_cents,
            sorted(p.family_name for p in row.practitioners.all()),
        )
        for row in rows.order_by("name")
    ]


EVERYONE = ["Chen", "Lindgren", "Okafor", "Ortega", "Raman"]


def test_the_demo_offers_six_kinds_of_visit(clinic):
    assert offered(clinic) == [
        ("Blood test", 10, "lab", "established", None, ["Chen"]),
        ("Check-up", 20, "in_person", "established", 2500, EVERYONE),
        ("Minor procedure", 40, "in_person", "nobody", 5000, ["Okafor", "Ortega"]),
        ("New patient visit", 40, "in_person", "everyone", 4000, EVERYONE),
        ("Phone call with your clinician", 15, "phone", "established", None, ["Lindgren", "Raman"]),
        ("Video visit", 20, "video", "established", 1500, ["Chen", "Okafor", "Ortega"]),
    ]
    checkup = VisitType.objects.get(clinic=clinic, name="Check-up")
    assert checkup.questions == [
        "Is there anything new you would like to talk about?",
        "Have you been in hospital or to urgent care since your last visit?",
    ]


def test_a_practitioner_of_two_offices_alternates_between_them(clinic):
    hours = WeeklyHours.objects.filter(practitioner__family_name="Chen").select_related("location")
    plan = [(h.weekday, h.starts_at.strftime("%H:%M"), h.location.name) for h in hours]
    assert plan == [
        (0, "08:30", "Millbrook Falls Office"),
        (0, "13:00", "Millbrook Falls Office"),
        (1, "08:30", "Riverside Main Office"),
        (1, "13:00", "Riverside Main Office"),
        (2, "08:30", "Millbrook Falls Office"),
        (2, "13:00", "Millbrook Falls Office"),
        (3, "08:30", "Riverside Main Office"),
        (3, "13:00", "Riverside Main Office"),
        (4, "08:30", "Millbrook Falls Office"),
        (4, "13:00", "Millbrook Falls Office"),
    ]


def test_a_check_up_can_be_booked_from_the_next_morning(clinic):
    checkup = VisitType.objects.get(clinic=clinic, name="Check-up")
    slots = available_slots(checkup, now=NOW, date_from=datetime.date(2026, 3, 5), days=1)
    first = slots[0]
    assert first.starts_at == datetime.datetime(2026, 3, 5, 13, 30, tzinfo=datetime.UTC)


def test_running_the_demo_again_changes_nothing(clinic):
    before = (offered(clinic), WeeklyHours.objects.count())
    with time_machine.travel(NOW, tick=False):
        load_demo_clinic("carebridge-demo-2026", with_records=False)
    assert (offered(clinic), WeeklyHours.objects.count()) == before
    assert before[1] == 5 * 10
