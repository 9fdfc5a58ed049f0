"""The clinic's schedule for the console's schedule tests, on the appointments tests' fixed day:
Wednesday, March 4, 2026, 10:00 a.m. in New York, four days before the clocks there go forward.

Import `frozen_clock` into a test module (it is autouse) so the cast is built on that day too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine

from carebridge.accounts.models import User
from carebridge.patients.models import Patient
from carebridge.scheduling.models import (
    Appointment,
    AppointmentRequest,
    BookedAs,
    CheckIn,
    OnlineBooking,
    VisitType,
)
from carebridge.scheduling.tests.factories import (
    Schedule,
    make_appointment,
    make_hours,
    make_schedule,
    make_visit_type,
)
from carebridge.testing.personas import Cast

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
WEEKDAYS = range(5)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[datetime.datetime]:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@dataclass
class Desk:
    """Riverside's schedule: Dr Okafor works 9 to 5 on weekdays at the Main Street office and
    offers 30-minute check-ups (bookable online) and hour-long minor surgery (request only)."""

    cast: Cast
    schedule: Schedule
    surgery: VisitType

    @property
    def checkup(self) -> VisitType:
        return self.schedule.visit_type

    def book(self, patient: Patient, starts_at: datetime.datetime, **fields: Any) -> Appointment:
        """An appointment of a check-up with Dr Okafor, as the front desk booked it."""
        schedule = self.schedule
        visit: dict[str, Any] = {
            "visit_type": schedule.visit_type,
            "practitioner": schedule.practitioner,
            "location": schedule.location,
            "booked_by": self.cast.front_desk,
        } | fields
        return make_appointment(
            patient,
            visit.pop("visit_type"),
            visit.pop("practitioner"),
            visit.pop("location"),
            starts_at,
            **visit,
        )

    def ask(self, patient: Patient, sent_by: User, **fields: Any) -> AppointmentRequest:
        """A request for minor surgery, as if sent through the patient's pages."""
        defaults: dict[str, Any] = {
            "reason": "Mole on my back",
            "preferences": "Mornings",
            "booked_as": BookedAs.SELF,
        }
        return AppointmentRequest.objects.create(
            patient=patient, visit_type=self.surgery, created_by=sent_by, **(defaults | fields)
        )


def make_desk(cast: Cast) -> Desk:
    schedule = make_schedule(cast.clinic, name="Check-up")
    for weekday in WEEKDAYS:
        make_hours(schedule.practitioner, schedule.location, weekday, "09:00", "17:00")
    surgery = make_visit_type(
        cast.clinic,
        practitioners=[schedule.practitioner],
        locations=[schedule.location],
        name="Minor surgery",
        duration_minutes=60,
        online_booking=OnlineBooking.NOBODY,
    )
    return Desk(cast, schedule, surgery)


def check_in(appointment: Appointment, by: User, **fields: Any) -> CheckIn:
    """The patient's online check-in for the appointment."""
    defaults: dict[str, Any] = {
        "completed_at": NOW,
        "completed_by": by,
        "completed_as": BookedAs.SELF,
        "contact_confirmed": True,
        "insurance_payer": "Acme Health",
        "insurance_member_id": "ACM-555",
        "insurance_group": "G-12",
        "allergies_confirmed": True,
        "allergy_changes": "New: penicillin rash",
        "medications_confirmed": True,
        "medication_changes": "",
        "answers": [{"question": "Any fever?", "answer": "No"}],
        "copay_cents": 2500,
    }
    return CheckIn.objects.create(appointment=appointment, **(defaults | fields))
