"""Pat's appointments booked in Carebridge, shared by the tests of the appointment pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carebridge.accounts.models import User
from carebridge.patients.models import Patient
from carebridge.scheduling.models import Appointment, AppointmentStatus, BookedAs, VisitMode
from carebridge.scheduling.tests.factories import Schedule, local, make_appointment, make_schedule


@dataclass
class PatsBookings:
    """Pat's check-up with Dr Okafor on Monday, March 9 at 9:30 (after the clocks go forward),
    booked by Cora for her; her cancelled one of Friday; her attended one of last month."""

    schedule: Schedule
    upcoming: Appointment
    cancelled: Appointment
    attended: Appointment


def add_pats_bookings(pat: Patient, booked_by: User) -> PatsBookings:
    schedule = make_schedule(pat.clinic, name="Check-up", mode=VisitMode.IN_PERSON)
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    upcoming = make_appointment(
        pat,
        *visit,
        local(2026, 3, 9, 9, 30),
        reason="Sore knee; worse on stairs",
        booked_by=booked_by,
        booked_as=BookedAs.PROXY,
    )
    cancelled = make_appointment(
        pat, *visit, local(2026, 3, 6, 11), status=AppointmentStatus.CANCELLED
    )
    attended = make_appointment(
        pat, *visit, local(2026, 2, 10, 14), status=AppointmentStatus.COMPLETED
    )
    return PatsBookings(schedule, upcoming, cancelled, attended)


def in_hours(appointment: Appointment, hours: float) -> datetime.datetime:
    """The moment `hours` before the appointment starts."""
    return appointment.starts_at - datetime.timedelta(hours=hours)
