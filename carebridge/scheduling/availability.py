"""Which times a visit type can be booked: the weekly hours of those who offer it, minus time off,
what is already booked, and what is too soon or too far ahead.

Weekly hours are clock times in the clinic's time zone, so a slot is built from the local date and
clock time with `zoneinfo`: a 9:00 slot stays 9:00 in the clinic across a daylight-saving change,
and its UTC time moves. Every slot is returned in UTC.

Four queries at most, whatever the number of appointments: the clinic (unless already loaded), the
weekly hours, the time off and the booked appointments in the window.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from carebridge.clinic.models import Location, Practitioner
from carebridge.scheduling.models import Appointment, TimeOff, VisitType, WeeklyHours

# Enough for a page of times; callers that need every slot pass `limit=None`.
DEFAULT_LIMIT = 100

Interval = tuple[datetime.datetime, datetime.datetime]


@dataclass(frozen=True)
class Slot:
    """A free time for one visit: start and end (aware, UTC), with whom and where."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    practitioner: Practitioner
    location: Location


@dataclass(frozen=True)
class Window:
    """The period searched, and the bounds the lead times set (all aware, UTC)."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    earliest_start: datetime.datetime
    latest_start: datetime.datetime


def clinic_zone(visit_type: VisitType) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(visit_type.clinic.time_zone)


def local_datetime(
    day: datetime.date, clock: datetime.time, zone: zoneinfo.ZoneInfo
) -> datetime.datetime:
    """The clinic's local date and clock time as an aware UTC datetime."""
    return datetime.datetime.combine(day, clock, tzinfo=zone).astimezone(datetime.UTC)


def search_window(
    visit_type: VisitType, *, now: datetime.datetime, date_from: datetime.date, days: int
) -> Window:
    zone = clinic_zone(visit_type)
    last_day = date_from + datetime.timedelta(days=days)
    return Window(
        starts_at=local_datetime(date_from, datetime.time.min, zone),
        ends_at=local_datetime(last_day, datetime.time.min, zone),
        earliest_start=now + datetime.timedelta(hours=visit_type.min_lead_hours),
        latest_start=now + datetime.timedelta(days=visit_type.max_lead_days),
    )


def offered_hours(
    visit_type: VisitType, practitioner: Practitioner | None, location: Location | None
) -> list[WeeklyHours]:
    """Weekly hours of the practitioners offering the type, at the places offering it."""
    hours = WeeklyHours.objects.filter(
        practitioner__visit_types=visit_type, location__visit_types=visit_type
    )
    if practitioner is not None:
        hours = hours.filter(practitioner=practitioner)
    if location is not None:
        hours = hours.filter(location=location)
    return list(hours.select_related("practitioner", "location").distinct())


def busy_times(
    visit_type: VisitType, practitioner_ids: list[int], window: Window
) -> tuple[list[TimeOff], dict[int, list[Interval]]]:
    """Time off that may apply, and each practitioner's booked times (any visit type)."""
    time_off = list(
        TimeOff.objects.affecting(visit_type.clinic, practitioner_ids).overlapping(
            window.starts_at, window.ends_at
        )
    )
    booked: dict[int, list[Interval]] = defaultdict(list)
    appointments = (
        Appointment.objects.active()
        .filter(practitioner_id__in=practitioner_ids)
        .overlapping(window.starts_at, window.ends_at)
        .values_list("practitioner_id", "starts_at", "ends_at")
    )
    for practitioner_id, starts_at, ends_at in appointments:
        booked[practitioner_id].append((starts_at, ends_at))
    return time_off, booked


def block_slots(
    block: WeeklyHours, day: datetime.date, duration: datetime.timedelta, zone: zoneinfo.ZoneInfo
) -> Iterator[Slot]:
    """Slots stepping by the visit's length from the block's start, each wholly inside it."""
    start = local_datetime(day, block.starts_at, zone)
    block_end = local_datetime(day, block.ends_at, zone)
    while start + duration <= block_end:
        yield Slot(start, start + duration, block.practitioner, block.location)
        start += duration


def overlaps(slot: Slot, start: datetime.datetime, end: datetime.datetime) -> bool:
    return slot.starts_at < end and start < slot.ends_at


def is_time_off(slot: Slot, entry: TimeOff) -> bool:
    """Whether time off covers the slot: the whole clinic's or the practitioner's, at any place
    or at the slot's place."""
    if entry.practitioner_id is not None and entry.practitioner_id != slot.practitioner.pk:
        return False
    if entry.location_id is not None and entry.location_id != slot.location.pk:
        return False
    return overlaps(slot, entry.starts_at, entry.ends_at)


def is_free(
    slot: Slot, window: Window, time_off: list[TimeOff], booked: dict[int, list[Interval]]
) -> bool:
    if not window.earliest_start <= slot.starts_at <= window.latest_start:
        return False
    if any(is_time_off(slot, entry) for entry in time_off):
        return False
    return not any(overlaps(slot, *times) for times in booked[slot.practitioner.pk])


def sort_key(slot: Slot) -> tuple[datetime.datetime, str, str, int, int]:
    person = slot.practitioner
    return (slot.starts_at, person.family_name, person.given_name, person.pk, slot.location.pk)


def available_slots(
    visit_type: VisitType,
    *,
    now: datetime.datetime,
    date_from: datetime.date,
    days: int,
    practitioner: Practitioner | None = None,
    location: Location | None = None,
    limit: int | None = DEFAULT_LIMIT,
) -> list[Slot]:
    """Free times for `visit_type` on `days` local dates from `date_from`, soonest first (then by
    practitioner), at most `limit` of them. Optionally for one practitioner or one place."""
    zone = clinic_zone(visit_type)
    window = search_window(visit_type, now=now, date_from=date_from, days=days)
    hours = offered_hours(visit_type, practitioner, location)
    by_weekday: dict[int, list[WeeklyHours]] = defaultdict(list)
    for block in hours:
        by_weekday[block.weekday].append(block)
    practitioner_ids = sorted({block.practitioner_id for block in hours})
    time_off, booked = busy_times(visit_type, practitioner_ids, window)
    slots = [
        slot
        for day in (date_from + datetime.timedelta(days=n) for n in range(days))
        for block in by_weekday[day.weekday()]
        for slot in block_slots(block, day, visit_type.duration, zone)
        if is_free(slot, window, time_off, booked)
    ]
    slots.sort(key=sort_key)
    return slots if limit is None else slots[:limit]
