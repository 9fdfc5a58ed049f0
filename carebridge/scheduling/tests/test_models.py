"""The booking models' constraints and named filters, their admin, and their audit wording."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction

from carebridge.audit.labels import object_type_words, patient_sentence
from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    OnlineBooking,
    TimeOff,
    VisitType,
    WeeklyHours,
)
from carebridge.scheduling.tests.factories import (
    local,
    make_appointment,
    make_hours,
    make_schedule,
    make_time_off,
    make_visit_type,
)
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


def refused(create: object) -> bool:
    try:
        with transaction.atomic():
            create()  # type: ignore[operator]
    except IntegrityError:
        return True
    return False


def test_weekly_hours_must_end_after_they_start() -> None:
    s = make_schedule()

    assert refused(lambda: make_hours(s.practitioner, s.location, 0, "12:00", "09:00"))
    assert refused(lambda: make_hours(s.practitioner, s.location, 0, "09:00", "09:00"))
    assert refused(lambda: make_hours(s.practitioner, s.location, 7, "09:00", "10:00"))
    make_hours(s.practitioner, s.location, 0, "09:00", "12:00")
    make_hours(s.practitioner, s.location, 0, "13:00", "17:00")
    assert WeeklyHours.objects.count() == 2


def test_time_off_must_end_after_it_starts() -> None:
    s = make_schedule()
    start = local(2026, 3, 5, 9)

    assert refused(lambda: make_time_off(s.clinic, start, start))
    assert refused(lambda: make_time_off(s.clinic, start, start - datetime.timedelta(hours=1)))
    assert TimeOff.objects.count() == 0


def test_visit_types_have_a_length_and_a_name_unique_in_the_clinic() -> None:
    s = make_schedule(name="Check-up")

    assert refused(
        lambda: VisitType.objects.create(clinic=s.clinic, name="Flu shot", duration_minutes=0)
    )
    assert refused(lambda: VisitType.objects.create(clinic=s.clinic, name="Check-up"))
    other_clinic = factories.make_clinic()
    VisitType.objects.create(clinic=other_clinic, name="Check-up")


def test_visit_type_defaults() -> None:
    visit_type = VisitType.objects.create(clinic=factories.make_clinic(), name="Check-up")

    assert visit_type.min_lead_hours == 2
    assert visit_type.max_lead_days == 90
    assert visit_type.cancel_before_hours == 24
    assert visit_type.is_active is True
    assert visit_type.duration == datetime.timedelta(minutes=20)


def test_only_one_active_appointment_may_start_at_a_time_per_practitioner() -> None:
    s = make_schedule()
    patient = factories.make_patient(s.clinic)
    start = local(2026, 3, 5, 9)
    make_appointment(patient, s.visit_type, s.practitioner, s.location, start)
    for status in (AppointmentStatus.CANCELLED, AppointmentStatus.DECLINED):
        make_appointment(patient, s.visit_type, s.practitioner, s.location, start, status=status)
    make_appointment(patient, s.visit_type, s.other_practitioner, s.location, start)

    for status in (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED):
        assert refused(
            lambda status=status: make_appointment(
                patient, s.visit_type, s.practitioner, s.location, start, status=status
            )
        )
    assert refused(
        lambda: make_appointment(
            patient, s.visit_type, s.practitioner, s.location, start, ends_at=start
        )
    )
    assert Appointment.objects.count() == 4


def test_named_filters() -> None:
    s = make_schedule(online_booking=OnlineBooking.EVERYONE)
    requests_only = make_visit_type(
        s.clinic, practitioners=[], locations=[], online_booking=OnlineBooking.NOBODY
    )
    retired = make_visit_type(s.clinic, practitioners=[], locations=[], is_active=False)
    patient = factories.make_patient(s.clinic)
    start = local(2026, 3, 5, 9)
    booked = make_appointment(patient, s.visit_type, s.practitioner, s.location, start)
    done = make_appointment(
        patient,
        s.visit_type,
        s.practitioner,
        s.location,
        start - datetime.timedelta(days=7),
        status=AppointmentStatus.COMPLETED,
    )
    holiday = make_time_off(s.clinic, start, start + datetime.timedelta(days=1))
    theirs = make_time_off(
        s.clinic, start, start + datetime.timedelta(hours=1), practitioner=s.other_practitioner
    )

    assert list(VisitType.objects.for_clinic(s.clinic).bookable_online()) == [s.visit_type]
    assert set(VisitType.objects.active()) == {s.visit_type, requests_only}
    assert retired not in VisitType.objects.active()
    assert list(Appointment.objects.active()) == [booked]
    assert list(Appointment.objects.completed()) == [done]
    assert list(Appointment.objects.overlapping(start, start + datetime.timedelta(minutes=1))) == [
        booked
    ]
    assert list(TimeOff.objects.affecting(s.clinic, [s.practitioner.pk])) == [holiday]
    assert set(TimeOff.objects.affecting(s.clinic, [s.other_practitioner.pk])) == {holiday, theirs}


def test_the_set_up_is_in_admin_and_appointments_are_read_only() -> None:
    for model in (VisitType, WeeklyHours, TimeOff, Appointment):
        assert admin.site.is_registered(model)
    appointment_admin = admin.site.get_model_admin(Appointment)
    assert appointment_admin.has_add_permission(None) is False  # type: ignore[arg-type]
    assert appointment_admin.has_change_permission(None) is False  # type: ignore[arg-type]
    assert appointment_admin.has_delete_permission(None) is False  # type: ignore[arg-type]


def test_the_audit_trail_words_for_a_booking() -> None:
    assert object_type_words("appointment") == "Appointment"
    assert patient_sentence(AuditEvent(action="create", object_type="appointment")) == (
        "Booked an appointment"
    )
    assert patient_sentence(AuditEvent(action="update", object_type="appointment")) == (
        "Changed or cancelled an appointment"
    )
