"""Moving an appointment carries its online check-in to the new time: the same row, in the
move's transaction, audited; a move that fails leaves the check-in where it was."""

from __future__ import annotations

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import Appointment, BookedAs, CheckIn
from carebridge.scheduling.services import SlotTakenError, reschedule_appointment
from carebridge.scheduling.tests.factories import local, make_appointment, make_hours, make_schedule

pytestmark = pytest.mark.django_db

THURSDAY = 3


@pytest.fixture
def schedule(cast):
    """Dr Okafor's check-ups, Thursdays 9 to 10 a.m."""
    schedule = make_schedule(cast.clinic, name="Check-up")
    make_hours(schedule.practitioner, schedule.location, THURSDAY, "09:00", "10:00")
    return schedule


@pytest.fixture
def visit(cast, schedule) -> Appointment:
    """Pat's check-up next Thursday at 9, already checked in online by Pat."""
    appointment = make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 12, 9),
        booked_as=BookedAs.SELF,
        booked_by=cast.patient_user,
    )
    CheckIn.objects.create(
        appointment=appointment,
        completed_at=local(2026, 3, 4, 9),
        completed_by=cast.patient_user,
        completed_as=BookedAs.SELF,
        contact_confirmed=True,
        insurance_payer="Acme Health",
        insurance_member_id="A123",
    )
    return appointment


def move(cast, visit, schedule, starts_at):
    return reschedule_appointment(
        actor=cast.patient_user,
        acting_as="self",
        appointment=visit,
        starts_at=starts_at,
        practitioner=schedule.practitioner,
        location=schedule.location,
    )


def test_the_check_in_moves_to_the_new_appointment(cast, visit, schedule):
    new = move(cast, visit, schedule, local(2026, 3, 5, 9, 30))
    moved = CheckIn.objects.get()
    assert (moved.appointment_id, moved.insurance_payer, moved.insurance_member_id) == (
        new.pk,
        "Acme Health",
        "A123",
    )
    assert (moved.completed_by, moved.completed_at) == (cast.patient_user, local(2026, 3, 4, 9))
    assert CheckIn.objects.filter(appointment=visit).exists() is False


def test_moving_the_check_in_is_audited(cast, visit, schedule):
    new = move(cast, visit, schedule, local(2026, 3, 5, 9, 30))
    rows = AuditEvent.objects.filter(object_type="check_in").order_by("sequence")
    assert [(e.actor, e.acting_as, e.action, e.object_id, e.patient) for e in rows] == [
        (cast.patient_user, "self", "update", str(new.pk), cast.patient)
    ]


def test_a_failed_move_leaves_the_check_in_on_the_old_appointment(cast, visit, schedule):
    make_appointment(
        cast.second_patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 5, 9),
    )
    with pytest.raises(SlotTakenError):
        move(cast, visit, schedule, local(2026, 3, 5, 9))
    assert CheckIn.objects.get().appointment_id == visit.pk
    assert AuditEvent.objects.filter(object_type="check_in").count() == 0


def test_a_move_without_a_check_in_records_none(cast, visit, schedule):
    CheckIn.objects.all().delete()
    move(cast, visit, schedule, local(2026, 3, 5, 9, 30))
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="check_in").count() == 0
