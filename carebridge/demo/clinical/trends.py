"""How a measurement moves over the years: a piecewise-linear course plus day-to-day noise.

A course is a list of knots (day, typical value); between knots the typical value is
interpolated, and beyond the last knot it stays level. Treatment shows as the value falling
over the two months after a medicine is started, so a patient's readings tell a story.
"""

from __future__ import annotations

import bisect
import datetime
import random
from dataclasses import dataclass

# How long a new or stronger medicine takes to show its full effect.
TREATMENT_EFFECT = datetime.timedelta(days=70)


@dataclass(frozen=True)
class Trend:
    knots: tuple[tuple[datetime.date, float], ...]
    noise: float

    def typical(self, day: datetime.date) -> float:
        days = [knot_day for knot_day, _ in self.knots]
        index = bisect.bisect_right(days, day)
        if index == 0:
            return self.knots[0][1]
        if index == len(self.knots):
            return self.knots[-1][1]
        (day0, value0), (day1, value1) = self.knots[index - 1], self.knots[index]
        share = (day - day0).days / max((day1 - day0).days, 1)
        return value0 + share * (value1 - value0)

    def sample(self, rng: random.Random, day: datetime.date) -> float:
        return rng.gauss(self.typical(day), self.noise)


def steady(
    start: datetime.date, level: float, per_year: float, today: datetime.date, noise: float
) -> Trend:
    years = (today - start).days / 365.25
    return Trend(((start, level), (today, level + per_year * years)), noise)


@dataclass(frozen=True)
class Course:
    """A treated condition's measurement: where it sits before, at and after diagnosis."""

    before: float
    at_onset: float
    treated: float
    # How much higher it drifts before treatment is stepped up, and how much lower it goes after.
    escalation_gain: float
    per_year: float
    # How long before the diagnosis the value starts to climb from where it was.
    lead_years: float = 3.0


def treated_trend(
    course: Course,
    *,
    onset: datetime.date,
    escalated: datetime.date | None,
    start: datetime.date,
    today: datetime.date,
    noise: float,
) -> Trend:
    """The measurement of a patient diagnosed on `onset` (possibly before the record starts)."""
    climb_from = onset - datetime.timedelta(days=round(course.lead_years * 365))
    knots = [(start, course.before)] if onset > start else []
    knots += [(climb_from, course.before)] if climb_from > start else []
    knots += [(onset, course.at_onset), (onset + TREATMENT_EFFECT, course.treated)]
    level = course.treated
    if escalated is not None:
        knots.append((escalated, level + course.escalation_gain))
        level -= course.escalation_gain / 2
        knots.append((escalated + TREATMENT_EFFECT, level))
    last_day = knots[-1][0]
    if today > last_day:
        knots.append((today, level + course.per_year * (today - last_day).days / 365.25))
    return Trend(tuple(knots), noise)
