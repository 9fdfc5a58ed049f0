"""Free times: weekly hours minus breaks, time off, booked visits and the lead times, built in the
clinic's time zone. "Now" is Wednesday 4 March 2026, 10 a.m. in New York (15:00 UTC)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.scheduling.availability import available_slots
from carebridge.scheduling.models import AppointmentStatus, TimeOffKind, VisitType
from carebridge.scheduling.tests.conftest import NOW
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_appointment,
    make_hours,
    make_schedule,
    make_time_off,
    make_visit_type,
    utc,
)
from carebridge.testing import factories

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2026, 3, 5)
THU, FRI = 3, 4


@pytest.fixture
def schedule() -> Schedule:
    """Dr Okafor works Thursdays and Fridays 9 to 12 and 1 to 3 (a lunch break from 12 to 1)."""
    s = make_schedule()
    for weekday in (THU, FRI):
        make_hours(s.practitioner, s.location, weekday, "09:00", "12:00")
        make_hours(s.practitioner, s.location, weekday, "13:00", "15:00")
    return s


def thursday_starts(s: Schedule, visit_type: VisitType | None = None) -> list[datetime.datetime]:
    slots = available_slots(visit_type or s.visit_type, now=NOW, date_from=THURSDAY, days=1)
    return [slot.starts_at for slot in slots]


def thursday(*clock: tuple[int, int]) -> list[datetime.datetime]:
    return [local(2026, 3, 5, hour, minute) for hour, minute in clock]


ALL_THURSDAY = thursday(
    (9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30), (13, 0), (13, 30), (14, 0), (14, 30)
)


def test_slots_step_by_the_visit_length_and_skip_the_break(schedule: Schedule) -> None:
    slots = available_slots(schedule.visit_type, now=NOW, date_from=THURSDAY, days=1)

    assert [slot.starts_at for slot in slots] == ALL_THURSDAY
    # 9:00 in New York on 5 March is 14:00 UTC (EST, five hours behind).
    assert slots[0].starts_at == utc(2026, 3, 5, 14, 0)
    assert slots[0].ends_at == utc(2026, 3, 5, 14, 30)
    assert slots[0].practitioner == schedule.practitioner
    assert slots[0].location == schedule.location


def test_a_slot_must_fit_wholly_inside_its_block(schedule: Schedule) -> None:
    hour_long = make_visit_type(
        schedule.clinic,
        practitioners=[schedule.practitioner],
        locations=[schedule.location],
        duration_minutes=45,
    )

    # 9:00, 9:45, 10:30 and 11:15 (ending exactly at noon) fit before the break;
    # 13:00 and 13:45 fit before 3 p.m., 14:30 would not.
    assert thursday_starts(schedule, hour_long) == thursday(
        (9, 0), (9, 45), (10, 30), (11, 15), (13, 0), (13, 45)
    )


def test_a_clinic_holiday_removes_the_whole_day_and_only_that_day(schedule: Schedule) -> None:
    make_time_off(
        schedule.clinic,
        local(2026, 3, 5, 0),
        local(2026, 3, 6, 0),
        kind=TimeOffKind.HOLIDAY,
        note="Staff training day",
    )

    slots = available_slots(schedule.visit_type, now=NOW, date_from=THURSDAY, days=2)

    assert len(slots) == 10
    assert {slot.starts_at.date() for slot in slots} == {datetime.date(2026, 3, 6)}


def test_blocked_time_removes_every_slot_it_touches(schedule: Schedule) -> None:
    # 10:15 to 10:45 overlaps the 10:00 and the 10:30 slots.
    make_time_off(
        schedule.clinic,
        local(2026, 3, 5, 10, 15),
        local(2026, 3, 5, 10, 45),
        practitioner=schedule.practitioner,
    )

    assert thursday_starts(schedule) == [
        start for start in ALL_THURSDAY if start not in thursday((10, 0), (10, 30))
    ]


def test_someone_elses_blocked_time_and_other_places_do_not_matter(schedule: Schedule) -> None:
    make_time_off(
        schedule.clinic,
        local(2026, 3, 5, 9),
        local(2026, 3, 5, 15),
        practitioner=schedule.other_practitioner,
    )
    make_time_off(
        schedule.clinic,
        local(2026, 3, 5, 9),
        local(2026, 3, 5, 15),
        location=schedule.other_location,
    )
    other_clinic = factories.make_clinic()
    make_time_off(other_clinic, local(2026, 3, 5, 9), local(2026, 3, 5, 15))

    assert thursday_starts(schedule) == ALL_THURSDAY


def test_a_booked_visit_of_another_type_takes_the_times_it_overlaps(schedule: Schedule) -> None:
    long_visit = make_visit_type(
        schedule.clinic,
        practitioners=[schedule.practitioner],
        locations=[schedule.location],
        duration_minutes=60,
    )
    patient = factories.make_patient(schedule.clinic)
    # 9:15 to 10:15 overlaps the 9:00, 9:30 and 10:00 slots.
    make_appointment(
        patient, long_visit, schedule.practitioner, schedule.location, local(2026, 3, 5, 9, 15)
    )
    # A cancelled visit frees its time again.
    make_appointment(
        patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 5, 13),
        status=AppointmentStatus.CANCELLED,
    )

    assert thursday_starts(schedule) == [
        start for start in ALL_THURSDAY if start not in thursday((9, 0), (9, 30), (10, 0))
    ]


def test_nothing_sooner_than_the_soonest_lead_time(schedule: Schedule) -> None:
    # It is 10 a.m. on Wednesday; with a 2-hour lead the first time is noon.
    make_hours(schedule.practitioner, schedule.location, 2, "09:00", "17:00")

    slots = available_slots(
        schedule.visit_type, now=NOW, date_from=datetime.date(2026, 3, 4), days=1
    )

    assert slots[0].starts_at == local(2026, 3, 4, 12, 0)
    assert slots[0].starts_at == utc(2026, 3, 4, 17, 0)
    assert len(slots) == 10


def test_nothing_later_than_the_latest_lead_time(schedule: Schedule) -> None:
    schedule.visit_type.max_lead_days = 7
    schedule.visit_type.save()
    make_hours(schedule.practitioner, schedule.location, 2, "09:00", "17:00")

    slots = available_slots(
        schedule.visit_type, now=NOW, date_from=datetime.date(2026, 3, 11), days=2
    )

    # Seven days from now is 15:00 UTC on Wednesday 11 March: 11 a.m. in New York, now on
    # daylight time. Nothing starts after it, and Thursday 12 March is too far ahead.
    assert [slot.starts_at for slot in slots] == [
        utc(2026, 3, 11, 13, 0),
        utc(2026, 3, 11, 13, 30),
        utc(2026, 3, 11, 14, 0),
        utc(2026, 3, 11, 14, 30),
        utc(2026, 3, 11, 15, 0),
    ]


def test_a_nine_oclock_slot_stays_nine_oclock_across_the_daylight_saving_change() -> None:
    s = make_schedule(duration_minutes=60)
    make_hours(s.practitioner, s.location, 0, "09:00", "10:00")
    a_week_earlier = utc(2026, 2, 25, 12, 0)

    slots = available_slots(
        s.visit_type, now=a_week_earlier, date_from=datetime.date(2026, 3, 2), days=8
    )

    # The clocks went forward on Sunday 8 March: Monday 9:00 was 14:00 UTC, then 13:00 UTC.
    assert [(slot.starts_at, slot.ends_at) for slot in slots] == [
        (utc(2026, 3, 2, 14, 0), utc(2026, 3, 2, 15, 0)),
        (utc(2026, 3, 9, 13, 0), utc(2026, 3, 9, 14, 0)),
    ]


def test_slots_are_sorted_by_start_then_practitioner(schedule: Schedule) -> None:
    schedule.visit_type.practitioners.add(schedule.other_practitioner)
    make_hours(schedule.other_practitioner, schedule.location, THU, "09:00", "10:00")

    slots = available_slots(schedule.visit_type, now=NOW, date_from=THURSDAY, days=1, limit=4)

    assert [(slot.starts_at, slot.practitioner.family_name) for slot in slots] == [
        (local(2026, 3, 5, 9, 0), "Lee"),
        (local(2026, 3, 5, 9, 0), "Okafor"),
        (local(2026, 3, 5, 9, 30), "Lee"),
        (local(2026, 3, 5, 9, 30), "Okafor"),
    ]


def test_one_practitioner_or_one_place_only(schedule: Schedule) -> None:
    schedule.visit_type.practitioners.add(schedule.other_practitioner)
    make_hours(schedule.other_practitioner, schedule.location, THU, "09:00", "10:00")

    mine = available_slots(
        schedule.visit_type,
        now=NOW,
        date_from=THURSDAY,
        days=1,
        practitioner=schedule.other_practitioner,
    )
    elsewhere = available_slots(
        schedule.visit_type,
        now=NOW,
        date_from=THURSDAY,
        days=1,
        location=schedule.other_location,
    )

    assert [slot.starts_at for slot in mine] == thursday((9, 0), (9, 30))
    assert elsewhere == []


def count_queries(visit_type_id: int) -> int:
    visit_type = VisitType.objects.get(pk=visit_type_id)
    with CaptureQueriesContext(connection) as queries:
        available_slots(visit_type, now=NOW, date_from=THURSDAY, days=70, limit=None)
    return len(queries)


@pytest.mark.parametrize("booked", [3, 60])
def test_the_number_of_queries_does_not_grow_with_the_appointments(
    schedule: Schedule, booked: int
) -> None:
    patient = factories.make_patient(schedule.clinic)
    for n in range(booked):
        start = local(2026, 3, 5, 9) + datetime.timedelta(days=n)
        make_appointment(
            patient, schedule.visit_type, schedule.practitioner, schedule.location, start
        )

    # The clinic, the weekly hours, the time off and the booked appointments.
    assert count_queries(schedule.visit_type.pk) == 4
