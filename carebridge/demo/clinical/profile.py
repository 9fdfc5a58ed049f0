"""A demo patient's clinical story: which long-term conditions they have, since when, and
whether their treatment was ever stepped up. Everything later (visits, results, medicines)
follows from this, so the parts of a record agree with each other."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from carebridge.demo.clinical.problems import (
    CHRONIC_PROBLEMS,
    DIABETES,
    HYPERLIPIDEMIA,
    HYPERTENSION,
    OBESITY,
    PREDIABETES,
    Problem,
)
from carebridge.demo.generator import years_before
from carebridge.lib.dates import age_on

DAY = datetime.timedelta(days=1)
# Conditions whose treatment may be stepped up once (a second medicine or a higher dose).
ESCALATING = (HYPERTENSION, DIABETES, HYPERLIPIDEMIA)
# Nothing is diagnosed or changed in the last weeks before today, so every visit has results.
QUIET_DAYS = 30


@dataclass(frozen=True)
class Diagnosis:
    problem: Problem
    # Names the condition within the record: the problem's key, or "illness-N" for short ones.
    key: str
    onset: datetime.date
    abated: datetime.date | None = None
    escalated: datetime.date | None = None

    def is_active_on(self, day: datetime.date) -> bool:
        return self.onset <= day and (self.abated is None or day < self.abated)


@dataclass
class Profile:
    birth_date: datetime.date
    sex: str
    start: datetime.date
    today: datetime.date
    conditions: list[Diagnosis] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return any(diagnosis.problem.key == key for diagnosis in self.conditions)

    def get(self, key: str) -> Diagnosis | None:
        return next((d for d in self.conditions if d.problem.key == key), None)

    def has_active(self, key: str, day: datetime.date) -> bool:
        diagnosis = self.get(key)
        return diagnosis is not None and diagnosis.is_active_on(day)

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)

    def years_old(self, day: datetime.date) -> float:
        return (day - self.birth_date).days / 365.25

    def active_on(self, day: datetime.date) -> list[Diagnosis]:
        return [d for d in self.conditions if d.is_active_on(day)]


def record_start(birth_date: datetime.date, today: datetime.date, years: int) -> datetime.date:
    """The first day of the record: `years` before today, or a few days after birth."""
    return max(years_before(today, years), birth_date + 3 * DAY)


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + rng.randint(0, max((last - first).days, 0)) * DAY


def draw_onset(rng: random.Random, problem: Problem, profile: Profile) -> datetime.date:
    """Most conditions began in the last twenty years of a patient's life, never in the last
    weeks, and never before the age they can start."""
    age = profile.age_on(profile.today)
    earliest_age = max(problem.youngest, age - 20)
    onset_age = rng.randint(min(earliest_age, age), age)
    first = max(years_before(profile.birth_date, -onset_age), profile.birth_date + 60 * DAY)
    last = profile.today - QUIET_DAYS * DAY
    return min(random_day(rng, first, first + 364 * DAY), last)


def has_condition(rng: random.Random, problem: Problem, profile: Profile, bmi: float) -> bool:
    age = profile.age_on(profile.today)
    if problem.key == OBESITY:
        return age >= problem.youngest and bmi >= 30
    if problem.key == PREDIABETES and profile.has(DIABETES):
        return False
    if not problem.youngest <= age <= problem.oldest:
        return False
    existing = {d.problem.key for d in profile.conditions}
    return rng.random() < problem.chance(age, profile.sex, existing)


def later_change(
    rng: random.Random, after: datetime.date, profile: Profile, *, years: tuple[int, int]
) -> datetime.date | None:
    """A day one to a few years after `after`, or None when that would fall in the quiet
    weeks before today."""
    day = after + rng.randint(365 * years[0], 365 * years[1]) * DAY
    return day if day < profile.today - QUIET_DAYS * DAY else None


def make_diagnosis(rng: random.Random, problem: Problem, profile: Profile) -> Diagnosis:
    onset = draw_onset(rng, problem, profile)
    # Obesity is judged by the weight when the record starts, so it was noted before then.
    if problem.key == OBESITY:
        adult = years_before(profile.birth_date, -problem.youngest)
        onset = max(random_day(rng, profile.start - 5 * 365 * DAY, profile.start), adult)
    abated = None
    if rng.random() < problem.resolves:
        abated = later_change(rng, onset, profile, years=(1, 4))
    escalated = None
    if problem.key in ESCALATING and rng.random() < 0.45:
        escalated = later_change(rng, onset, profile, years=(1, 3))
    return Diagnosis(problem, problem.key, onset, abated=abated, escalated=escalated)


def draw_conditions(
    rng: random.Random, profile: Profile, *, bmi: float, forced: tuple[str, ...] = ()
) -> None:
    """Give the patient their long-term conditions, each by its chance at their age and sex
    (`forced` ones always)."""
    for problem in CHRONIC_PROBLEMS:
        if problem.key in forced or has_condition(rng, problem, profile, bmi):
            profile.conditions.append(make_diagnosis(rng, problem, profile))
