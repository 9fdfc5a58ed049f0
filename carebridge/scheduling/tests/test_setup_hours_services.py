"""The administrator's weekly hours services (`services.setup`): their rules, their audit, and
that availability follows them. On the appointments tests' fixed day: Wednesday 4 March 2026,
10 a.m. in New York."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.core.actor import Actor
from carebridge.scheduling.models import Appointment, WeeklyHours
from carebridge.scheduling.services import setup as services
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_appointment,
    make_hours,
    make_schedule,
)
from carebridge.scheduling.tests.setup_helpers import admin, changes, slot_starts
from carebridge.testing import factories
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(cast: Cast) -> Schedule:
    return make_schedule(cast.clinic)


def add_hours(cast: Cast, schedule: Schedule, weekday: int, starts: str, ends: str) -> WeeklyHours:
    return services.add_weekly_hours(
        actor=admin(cast),
        practitioner=schedule.practitioner,
        location=schedule.location,
        weekday=weekday,
        starts_at=datetime.time.fromisoformat(starts),
        ends_at=datetime.time.fromisoformat(ends),
    )


def test_added_hours_are_offered_at_once_and_audited(cast: Cast, schedule: Schedule) -> None:
    assert slot_starts(schedule.visit_type) == []
    hours = add_hours(cast, schedule, 0, "09:00", "10:00")
    assert slot_starts(schedule.visit_type) == [local(2026, 3, 9, 9), local(2026, 3, 9, 9, 30)]
    after = {
        "clinician": "Sam Okafor, MD",
        "day": "monday",
        "place": schedule.location.name,
        "starts_at": "09:00",
        "ends_at": "10:00",
    }
    expected = {name: {"before": None, "after": value} for name, value in after.items()}
    assert changes("weekly_hours") == [("create", str(hours.pk), "Ada Admin", expected)]


def test_removed_hours_are_no_longer_offered_and_the_removal_is_audited(
    cast: Cast, schedule: Schedule
) -> None:
    hours = make_hours(schedule.practitioner, schedule.location, 0, "09:00", "10:00")
    make_hours(schedule.practitioner, schedule.location, 0, "14:00", "14:30")
    hours_id = hours.pk
    services.remove_weekly_hours(actor=admin(cast), hours=hours)
    assert slot_starts(schedule.visit_type) == [local(2026, 3, 9, 14)]
    before = {
        "clinician": "Sam Okafor, MD",
        "day": "monday",
        "place": schedule.location.name,
        "starts_at": "09:00",
        "ends_at": "10:00",
    }
    expected = {name: {"before": value, "after": None} for name, value in before.items()}
    assert changes("weekly_hours") == [("delete", str(hours_id), "Ada Admin", expected)]


@pytest.mark.parametrize(
    ("starts", "ends"), [("09:00", "10:00"), ("11:30", "12:30"), ("08:00", "13:00")]
)
def test_hours_overlapping_the_same_day_are_refused_even_at_another_place(
    cast: Cast, schedule: Schedule, starts: str, ends: str
) -> None:
    schedule.practitioner.locations.add(schedule.other_location)
    make_hours(schedule.practitioner, schedule.other_location, 0, "09:00", "12:00")
    with pytest.raises(ValidationError) as refusal:
        add_hours(cast, schedule, 0, starts, ends)
    assert refusal.value.messages == [
        "These hours overlap hours already set for Monday: 09:00 to 12:00 at "
        f"{schedule.other_location.name}. A clinician can be in only one place at a time."
    ]
    assert (WeeklyHours.objects.count(), changes("weekly_hours")) == (1, [])


def test_hours_that_touch_or_fall_on_another_day_or_person_are_added(
    cast: Cast, schedule: Schedule
) -> None:
    make_hours(schedule.practitioner, schedule.location, 0, "09:00", "12:00")
    make_hours(schedule.other_practitioner, schedule.location, 1, "12:00", "17:00")
    add_hours(cast, schedule, 0, "12:00", "13:00")
    add_hours(cast, schedule, 1, "09:00", "17:00")
    assert WeeklyHours.objects.filter(practitioner=schedule.practitioner).count() == 3


def test_hours_ending_before_they_start_or_at_a_place_not_theirs_are_refused(
    cast: Cast, schedule: Schedule
) -> None:
    with pytest.raises(ValidationError) as backwards:
        add_hours(cast, schedule, 0, "10:00", "10:00")
    assert backwards.value.messages == ["The end must be after the start."]
    with pytest.raises(ValidationError) as elsewhere:
        services.add_weekly_hours(
            actor=admin(cast),
            practitioner=schedule.practitioner,
            location=schedule.other_location,
            weekday=0,
            starts_at=datetime.time(9),
            ends_at=datetime.time(10),
        )
    assert elsewhere.value.messages == [
        f"Sam Okafor, MD does not work at {schedule.other_location.name}. "
        "Choose one of their places."
    ]
    assert (WeeklyHours.objects.count(), changes("weekly_hours")) == (0, [])


def test_another_clinics_place_or_administrator_is_refused_hours(
    cast: Cast, schedule: Schedule
) -> None:
    theirs = factories.make_location(cast.other_clinic, name="Hilltop Office")
    with pytest.raises(PermissionDenied):
        services.add_weekly_hours(
            actor=admin(cast),
            practitioner=schedule.practitioner,
            location=theirs,
            weekday=0,
            starts_at=datetime.time(9),
            ends_at=datetime.time(10),
        )
    hours = make_hours(schedule.practitioner, schedule.location, 0, "09:00", "10:00")
    other = Actor(user=cast.other_clinic_admin, acting_as="staff")
    with pytest.raises(PermissionDenied):
        services.remove_weekly_hours(actor=other, hours=hours)
    assert (WeeklyHours.objects.count(), changes("weekly_hours")) == (1, [])


def test_removing_hours_keeps_the_appointments_booked_in_them(
    cast: Cast, schedule: Schedule
) -> None:
    hours = make_hours(schedule.practitioner, schedule.location, 0, "09:00", "10:00")
    visit = make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 9, 9),
    )
    services.remove_weekly_hours(actor=admin(cast), hours=hours)
    kept = Appointment.objects.get(pk=visit.pk)
    assert (kept.status, kept.starts_at, kept.ends_at) == (
        "booked",
        local(2026, 3, 9, 9),
        local(2026, 3, 9, 9, 30),
    )
