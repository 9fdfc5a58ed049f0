"""No double booking. Twenty people try the same time at once (PostgreSQL, each on its own
connection): exactly one gets it, and the others are told it was just taken and offered the next
times. On any database, a second booking of a taken time is refused the same way."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import StaffRole
from carebridge.scheduling.models import Appointment, AppointmentStatus
from carebridge.scheduling.services import SlotTakenError, book_appointment, booking
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_appointment,
    make_hours,
    make_schedule,
)
from carebridge.testing import factories
from carebridge.testing.concurrency import at_the_same_moment, postgres_race
from carebridge.testing.personas import Cast

ATTEMPTS = 20
THURSDAY_9AM = local(2026, 3, 5, 9)
# With 9 to 10 on Thursdays and Fridays, the next times after a taken Thursday 9:00.
NEXT_TIMES = [local(2026, 3, 5, 9, 30), local(2026, 3, 6, 9), local(2026, 3, 6, 9, 30)]


def hours_thursday_and_friday(s: Schedule) -> Schedule:
    for weekday in (3, 4):
        make_hours(s.practitioner, s.location, weekday, "09:00", "10:00")
    return s


def test_a_second_booking_of_the_same_time_is_refused(cast: Cast) -> None:
    s = hours_thursday_and_friday(make_schedule(cast.clinic))
    arguments: dict[str, Any] = {
        "acting_as": "self",
        "visit_type": s.visit_type,
        "practitioner": s.practitioner,
        "location": s.location,
        "starts_at": THURSDAY_9AM,
        "reason": "",
    }
    book_appointment(actor=cast.patient_user, patient=cast.patient, **arguments)

    with pytest.raises(SlotTakenError) as taken:
        book_appointment(actor=cast.second_patient_user, patient=cast.second_patient, **arguments)

    assert taken.value.messages == ["That time was just taken. Here are the next times available."]
    assert [slot.starts_at for slot in taken.value.next_slots] == NEXT_TIMES
    assert Appointment.objects.get().patient == cast.patient


def test_the_database_refuses_two_active_appointments_at_one_start(cast: Cast) -> None:
    s = make_schedule(cast.clinic)
    make_appointment(cast.patient, s.visit_type, s.practitioner, s.location, THURSDAY_9AM)
    make_appointment(
        cast.second_patient,
        s.visit_type,
        s.practitioner,
        s.location,
        THURSDAY_9AM,
        status=AppointmentStatus.CANCELLED,
    )

    with pytest.raises(IntegrityError):
        make_appointment(
            cast.second_patient, s.visit_type, s.practitioner, s.location, THURSDAY_9AM
        )


def test_the_databases_refusal_also_reads_just_taken(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = hours_thursday_and_friday(make_schedule(cast.clinic))
    make_appointment(cast.patient, s.visit_type, s.practitioner, s.location, THURSDAY_9AM)
    # As if another booking committed between the re-check and the insert.
    monkeypatch.setattr(booking, "check_slot_free", lambda *args: None)

    with pytest.raises(SlotTakenError) as taken:
        book_appointment(
            actor=cast.second_patient_user,
            acting_as="self",
            patient=cast.second_patient,
            visit_type=s.visit_type,
            practitioner=s.practitioner,
            location=s.location,
            starts_at=THURSDAY_9AM,
            reason="",
        )

    assert [slot.starts_at for slot in taken.value.next_slots] == NEXT_TIMES
    assert Appointment.objects.count() == 1
    assert AuditEvent.objects.count() == 0


def attempt(arguments: dict[str, Any]) -> object:
    return book_appointment(**arguments)


@postgres_race("Concurrent bookings")
def test_twenty_people_try_the_same_time_at_once(frozen: object) -> None:
    clinic = factories.make_clinic(time_zone="America/New_York")
    s = hours_thursday_and_friday(make_schedule(clinic))
    staff = factories.make_staff(clinic, StaffRole.FRONT_DESK, with_mfa=False)
    patients = [factories.make_patient(clinic) for _ in range(ATTEMPTS)]
    outcomes = at_the_same_moment(
        attempt,
        [
            (
                {
                    "actor": staff,
                    "acting_as": "staff",
                    "patient": patient,
                    "visit_type": s.visit_type,
                    "practitioner": s.practitioner,
                    "location": s.location,
                    "starts_at": THURSDAY_9AM,
                    "reason": "",
                },
            )
            for patient in patients
        ],
    )

    booked = [outcome for outcome in outcomes if isinstance(outcome, Appointment)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, SlotTakenError)]
    assert len(outcomes) == ATTEMPTS
    assert len(booked) == 1
    assert len(refused) == ATTEMPTS - 1
    assert Appointment.objects.count() == 1
    assert Appointment.objects.get().patient == booked[0].patient
    for error in refused:
        assert [slot.starts_at for slot in error.next_slots] == NEXT_TIMES
