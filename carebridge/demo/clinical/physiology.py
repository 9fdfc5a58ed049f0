"""The trends behind a patient's readings: blood pressure, heart rate and the lab values that
their conditions and treatment move (HbA1c, cholesterol, kidney and thyroid function...).

Values are typical adult ones; a condition shows as the value drifting out of range before it
is diagnosed and coming back towards range once it is treated.
"""

from __future__ import annotations

import math
import random

from carebridge.demo.clinical.problems import (
    AFIB,
    CKD,
    DIABETES,
    HYPERLIPIDEMIA,
    HYPERTENSION,
    HYPOTHYROIDISM,
    PREDIABETES,
    VITAMIN_D,
)
from carebridge.demo.clinical.profile import Profile
from carebridge.demo.clinical.trends import Course, Trend, steady, treated_trend


def condition_trend(
    rng: random.Random, profile: Profile, key: str, course: Course, noise: float
) -> Trend | None:
    diagnosis = profile.get(key)
    if diagnosis is None:
        return None
    return treated_trend(
        course,
        onset=diagnosis.onset,
        escalated=diagnosis.escalated,
        start=profile.start,
        today=profile.today,
        noise=noise,
    )


def systolic(rng: random.Random, profile: Profile) -> Trend:
    age = profile.age_on(profile.start)
    base = 108 + 0.45 * max(age - 18, 0) + rng.gauss(0, 6)
    # About a third of patients have blood pressure creeping up year by year.
    per_year = rng.gauss(1.8, 0.4) if rng.random() < 0.3 else rng.gauss(0.3, 0.3)
    if age < 13:
        base, per_year = 98 + age * 1.2, 1.0
    # Without a diagnosis, readings creep up no further than the edge of high blood pressure.
    years = max((profile.today - profile.start).days / 365.25, 1)
    per_year = min(per_year, (142 - base) / years)
    course = Course(
        before=min(base, 132),
        at_onset=rng.gauss(152, 5),
        treated=rng.gauss(132, 4),
        escalation_gain=rng.gauss(12, 2),
        per_year=rng.gauss(0.5, 0.4),
    )
    treated = condition_trend(rng, profile, HYPERTENSION, course, noise=6)
    return treated or steady(profile.start, base, per_year, profile.today, noise=6)


def a1c(rng: random.Random, profile: Profile) -> Trend:
    # Treated diabetes creeps up again by a little every year: the "rising HbA1c" patient.
    course = Course(
        before=6.1,
        at_onset=rng.gauss(8.3, 0.5),
        treated=rng.gauss(6.9, 0.25),
        escalation_gain=rng.gauss(0.9, 0.2),
        per_year=rng.gauss(0.18, 0.06),
        lead_years=1.5,
    )
    treated = condition_trend(rng, profile, DIABETES, course, noise=0.2)
    if treated:
        return treated
    level = rng.gauss(5.95, 0.15) if profile.has(PREDIABETES) else rng.gauss(5.2, 0.2)
    return steady(profile.start, level, 0.02, profile.today, noise=0.12)


def ldl(rng: random.Random, profile: Profile) -> Trend:
    course = Course(
        before=138,
        at_onset=rng.gauss(172, 12),
        treated=rng.gauss(102, 10),
        escalation_gain=rng.gauss(26, 5),
        per_year=rng.gauss(1.5, 1.0),
    )
    treated = condition_trend(rng, profile, HYPERLIPIDEMIA, course, noise=9)
    return treated or steady(profile.start, rng.gauss(106, 18), 0.8, profile.today, noise=9)


def tsh(rng: random.Random, profile: Profile) -> Trend:
    course = Course(
        before=2.4,
        at_onset=rng.gauss(8.8, 1.2),
        treated=rng.gauss(2.6, 0.5),
        escalation_gain=0,
        per_year=0,
        lead_years=1,
    )
    treated = condition_trend(rng, profile, HYPOTHYROIDISM, course, noise=0.8)
    return treated or steady(profile.start, rng.gauss(1.9, 0.5), 0, profile.today, noise=0.45)


def vitamin_d(rng: random.Random, profile: Profile) -> Trend:
    course = Course(
        before=24,
        at_onset=rng.gauss(14, 2.5),
        treated=rng.gauss(34, 4),
        escalation_gain=0,
        per_year=0,
        lead_years=1,
    )
    treated = condition_trend(rng, profile, VITAMIN_D, course, noise=3.5)
    return treated or steady(profile.start, rng.gauss(33, 6), 0, profile.today, noise=4)


def egfr(rng: random.Random, profile: Profile) -> Trend:
    age = profile.age_on(profile.start)
    level = min(118 - 0.75 * max(age - 25, 0) + rng.gauss(0, 7), 125)
    diagnosis = profile.get(CKD)
    if diagnosis is None:
        return steady(profile.start, max(level, 62), -0.7, profile.today, noise=4)
    # Kidney function sinks towards stage 3 by the diagnosis and keeps falling slowly.
    onset_level = rng.gauss(52, 4)
    knots = [(profile.start, max(level, 66)), (diagnosis.onset, onset_level)]
    if diagnosis.onset <= profile.start:
        knots = [(profile.start, onset_level)]
    years = (profile.today - knots[-1][0]).days / 365.25
    return Trend((*knots, (profile.today, onset_level - 1.3 * years)), noise=3)


def hemoglobin(rng: random.Random, profile: Profile) -> Trend:
    level = rng.gauss(15.0 if profile.sex == "male" else 13.5, 0.7)
    if profile.has(CKD):
        level -= 1.2
    return steady(profile.start, level, 0, profile.today, noise=0.45)


def lipids_other(rng: random.Random, profile: Profile) -> dict[str, Trend]:
    hdl = rng.gauss(50 if profile.sex == "male" else 61, 8)
    triglycerides = rng.gauss(120, 30) + (45 if profile.has(DIABETES) else 0)
    return {
        "hdl": steady(profile.start, hdl, 0, profile.today, noise=4),
        "triglycerides": steady(profile.start, triglycerides, 1.0, profile.today, noise=22),
    }


def typical_heart_rate(years: float) -> float:
    """Resting heart rate falls from about 130 a minute at birth to the 70s by the teens."""
    return 75 + 55 * math.exp(-years / 4)


def heart_rate(rng: random.Random, profile: Profile) -> Trend:
    offset = rng.gauss(0, 5)
    first = typical_heart_rate(profile.years_old(profile.start)) + offset
    last = typical_heart_rate(profile.years_old(profile.today)) + offset
    noise = 10 if profile.has(AFIB) else 5
    return Trend(((profile.start, first), (profile.today, last)), noise)


def draw_trends(rng: random.Random, profile: Profile) -> dict[str, Trend]:
    """Every measurement's trend for this patient, drawn in a fixed order."""
    return {
        "systolic": systolic(rng, profile),
        "heart-rate": heart_rate(rng, profile),
        "a1c": a1c(rng, profile),
        "ldl": ldl(rng, profile),
        "tsh": tsh(rng, profile),
        "vitamin-d": vitamin_d(rng, profile),
        "egfr": egfr(rng, profile),
        "hemoglobin": hemoglobin(rng, profile),
        **lipids_other(rng, profile),
    }
