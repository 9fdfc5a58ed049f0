"""When a patient came to the clinic and why: check-ups, follow-ups of long-term conditions,
the visits where a condition was first diagnosed or its treatment stepped up, and sick visits.

A visit's tests, vital signs and procedures are chosen afterwards (see `orders`).
"""

from __future__ import annotations

import datetime
import enum
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from carebridge.demo.clinical.episodes import acute_choices
from carebridge.demo.clinical.labcatalog import Panel
from carebridge.demo.clinical.problems import (
    AFIB,
    ASTHMA,
    CKD,
    DIABETES,
    HYPERLIPIDEMIA,
    HYPERTENSION,
    HYPOTHYROIDISM,
)
from carebridge.demo.clinical.procedures import ProcedureKind
from carebridge.demo.clinical.profile import DAY, Diagnosis, Profile, random_day
from carebridge.demo.generator import years_before

# Visits end a few days before today, so every visit's results are back.
LAST_VISIT_GAP = 3
WELL_CHILD_MONTHS = (1, 2, 4, 6, 9, 12, 15, 18, 24, 30, 36, *range(48, 205, 12))
# Check-ups and follow-ups are booked at least this many days away from other visits.
PLANNED_SPACING = 21
FOLLOWED_UP = (
    HYPERTENSION,
    DIABETES,
    HYPERLIPIDEMIA,
    HYPOTHYROIDISM,
    CKD,
    AFIB,
    ASTHMA,
    "depression",
    "anxiety",
)


class VisitKind(enum.StrEnum):
    CHECKUP = "checkup"
    WELL_CHILD = "well-child"
    FOLLOW_UP = "follow-up"
    NEW_PROBLEM = "new-problem"
    SICK = "sick"


@dataclass
class Visit:
    day: datetime.date
    kind: VisitKind
    # Conditions looked at during the visit (the encounter's diagnoses).
    problems: list[Diagnosis] = field(default_factory=list)
    # Conditions first diagnosed at this visit, and those whose treatment was stepped up.
    new: list[Diagnosis] = field(default_factory=list)
    escalations: list[Diagnosis] = field(default_factory=list)
    # For well-child visits, the age in months the visit is scheduled for.
    month: int | None = None
    key: str = ""
    minute: int = 9 * 60
    clinician: int = 0
    vitals: tuple[str, ...] = ()
    panels: list[Panel] = field(default_factory=list)
    procedures: list[ProcedureKind] = field(default_factory=list)

    @property
    def observation_count(self) -> int:
        return len(self.vitals) + sum(len(panel.analytes) for panel in self.panels)


@dataclass(frozen=True)
class Schedule:
    """How busy a record is: follow-ups a year for someone with long-term conditions, and
    whether each one is certain to happen (a closely followed patient) or likely."""

    follow_ups_per_year: int = 2
    follow_up_chance: float = 0.65


class Calendar:
    """The visit days taken so far; a new visit moves to the nearest free weekday."""

    def __init__(self, profile: Profile) -> None:
        self.first = profile.start
        self.last = profile.today - LAST_VISIT_GAP * DAY
        self.visits: dict[datetime.date, Visit] = {}

    def is_free(self, day: datetime.date, spacing: int) -> bool:
        if not (self.first <= day <= self.last and day.weekday() < 5):
            return False
        return all(abs((day - taken).days) > spacing for taken in self.visits)

    def free_day(self, day: datetime.date, spacing: int) -> datetime.date | None:
        for shift in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6):
            if self.is_free(day + shift * DAY, spacing):
                return day + shift * DAY
        return None

    def place(self, visit: Visit, spacing: int = 0) -> Visit | None:
        """Book `visit` on the nearest free weekday; planned visits (`spacing` > 0) also keep
        that many days clear of any other visit."""
        day = self.free_day(visit.day, spacing)
        if day is None:
            return None
        visit.day = day
        self.visits[day] = visit
        return visit


def record_years(profile: Profile) -> Iterator[tuple[datetime.date, datetime.date]]:
    """The record in year-long stretches, oldest first."""
    first = profile.start
    while first < profile.today:
        last = min(first + 364 * DAY, profile.today - LAST_VISIT_GAP * DAY)
        yield first, last
        first += 365 * DAY


def diagnosis_visits(profile: Profile, calendar: Calendar) -> None:
    """A visit for each condition diagnosed, or treatment stepped up, within the record."""
    for diagnosis in profile.conditions:
        if diagnosis.onset > profile.start:
            add_problem_visit(calendar, diagnosis.onset, diagnosis, new=True)
        if diagnosis.escalated and diagnosis.escalated > profile.start:
            add_problem_visit(calendar, diagnosis.escalated, diagnosis, new=False)


def add_problem_visit(
    calendar: Calendar, day: datetime.date, diagnosis: Diagnosis, *, new: bool
) -> None:
    kind = VisitKind.NEW_PROBLEM if new else VisitKind.FOLLOW_UP
    # Two conditions found within the same few days are dealt with at one visit.
    existing = next((v for d, v in calendar.visits.items() if abs((d - day).days) <= 3), None)
    visit = existing or calendar.place(Visit(day, kind))
    if visit is None:
        return
    visit.problems.append(diagnosis)
    (visit.new if new else visit.escalations).append(diagnosis)


def illness_rate(age: int) -> float:
    """Sick visits a year: small children most, then older adults."""
    if age < 6:
        return 1.6
    if age < 18:
        return 0.8
    return 0.45 if age < 65 else 0.55


def illness_visits(rng: random.Random, profile: Profile, calendar: Calendar) -> None:
    for first, last in record_years(profile):
        age = profile.age_on(first)
        for _ in range(3):
            if rng.random() < illness_rate(age) / 3:
                add_illness(rng, profile, calendar, random_day(rng, first, last))


def add_illness(
    rng: random.Random, profile: Profile, calendar: Calendar, day: datetime.date
) -> None:
    problems, weights = acute_choices(profile.age_on(day), profile.sex)
    problem = rng.choices(problems, weights)[0]
    visit = calendar.place(Visit(day, VisitKind.SICK))
    if visit is None:
        return
    onset = visit.day - rng.randint(1, 3) * DAY
    abated = visit.day + rng.randint(*problem.days) * DAY
    count = sum(v.kind == VisitKind.SICK for v in calendar.visits.values())
    illness = Diagnosis(
        problem, f"illness-{count}", onset, abated=abated if abated < profile.today else None
    )
    visit.problems.append(illness)
    visit.new.append(illness)


def routine_visits(rng: random.Random, profile: Profile, calendar: Calendar) -> None:
    """Well-child visits on the usual schedule, then a yearly check-up most years."""
    for month in WELL_CHILD_MONTHS:
        day = add_months(profile.birth_date, month) + rng.randint(-5, 5) * DAY
        if profile.start <= day <= calendar.last:
            calendar.place(Visit(day, VisitKind.WELL_CHILD, month=month))
    for first, last in record_years(profile):
        age = profile.age_on(last)
        if age >= 18 and rng.random() < (0.95 if age >= 65 else 0.8):
            calendar.place(Visit(random_day(rng, first, last), VisitKind.CHECKUP), PLANNED_SPACING)


def add_months(day: datetime.date, months: int) -> datetime.date:
    years, month_index = divmod(day.month - 1 + months, 12)
    moved = years_before(day, -years)
    return moved.replace(month=month_index + 1, day=min(moved.day, 28))


def follow_up_visits(
    rng: random.Random, profile: Profile, calendar: Calendar, schedule: Schedule
) -> None:
    for first, last in record_years(profile):
        for _ in range(schedule.follow_ups_per_year):
            day = random_day(rng, first, last)
            followed = [d for d in profile.active_on(day) if d.problem.key in FOLLOWED_UP]
            if followed and rng.random() < schedule.follow_up_chance:
                visit = calendar.place(Visit(day, VisitKind.FOLLOW_UP), PLANNED_SPACING)
                if visit is not None:
                    visit.problems.extend(followed[:3])


def plan_visits(rng: random.Random, profile: Profile, schedule: Schedule) -> list[Visit]:
    """Every visit in the record, oldest first, each with its key ("visit-1", ...)."""
    calendar = Calendar(profile)
    diagnosis_visits(profile, calendar)
    illness_visits(rng, profile, calendar)
    routine_visits(rng, profile, calendar)
    follow_up_visits(rng, profile, calendar, schedule)
    visits = sorted(calendar.visits.values(), key=lambda visit: visit.day)
    for number, visit in enumerate(visits, start=1):
        visit.key = f"visit-{number}"
        visit.minute = rng.randrange(8 * 60, 16 * 60 + 30, 15)
    return visits
