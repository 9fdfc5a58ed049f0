"""Body size over a lifetime: children follow a growth curve, adults a weight trend.

The curve is a rounded middle-of-the-road growth chart (height, weight and head size by age),
written for this generator; each child keeps their own factor above or below it, so their
readings follow one percentile as real children's do.
"""

from __future__ import annotations

import bisect
import datetime
import random
from dataclasses import dataclass

from carebridge.demo.clinical.profile import Profile
from carebridge.demo.clinical.trends import Trend, steady
from carebridge.demo.generator import years_before

ADULT_AGE = 18
# Age in years: (height cm, weight kg) for boys, then girls.
GROWTH_CURVE = (
    (0.0, (50.0, 3.4), (49.2, 3.3)),
    (0.5, (67.6, 7.9), (65.7, 7.3)),
    (1.0, (75.7, 9.6), (74.0, 8.9)),
    (1.5, (82.3, 10.9), (80.7, 10.2)),
    (2.0, (87.1, 12.2), (85.7, 11.5)),
    (3.0, (96.1, 14.3), (95.1, 13.9)),
    (4.0, (103.3, 16.3), (102.7, 16.1)),
    (5.0, (110.0, 18.3), (109.4, 18.2)),
    (6.0, (116.0, 20.5), (115.1, 20.2)),
    (8.0, (127.9, 25.6), (127.0, 25.3)),
    (10.0, (138.4, 32.0), (138.6, 32.5)),
    (12.0, (149.1, 40.0), (151.2, 41.5)),
    (14.0, (163.8, 51.0), (159.8, 49.5)),
    (16.0, (173.5, 61.0), (162.5, 54.0)),
    (18.0, (176.5, 67.0), (163.5, 56.5)),
)
# Age in years: head circumference in cm, measured until age three.
HEAD_CURVE = ((0.0, 34.5), (0.5, 43.0), (1.0, 46.0), (1.5, 47.4), (2.0, 48.3), (3.0, 49.5))
HEAD_UNTIL_YEARS = 3


def interpolate(points: list[tuple[float, float]], x: float) -> float:
    xs = [px for px, _ in points]
    index = bisect.bisect_right(xs, x)
    if index == 0:
        return points[0][1]
    if index == len(points):
        return points[-1][1]
    (x0, y0), (x1, y1) = points[index - 1], points[index]
    return y0 + (x - x0) / (x1 - x0) * (y1 - y0)


def curve(sex: str, column: int) -> list[tuple[float, float]]:
    """One column of the growth curve (0 height, 1 weight) for a sex."""
    return [(age, (boy if sex == "male" else girl)[column]) for age, boy, girl in GROWTH_CURVE]


@dataclass(frozen=True)
class Body:
    height_factor: float
    weight_factor: float
    head_factor: float
    # Adult weight from the day the patient turned 18 or the record began, whichever is later.
    adult_weight: Trend

    def height_on(self, profile: Profile, day: datetime.date) -> float:
        years = min(profile.years_old(day), ADULT_AGE)
        height = interpolate(curve(profile.sex, 0), years) * self.height_factor
        # Older adults lose a little height each year.
        return height - max(profile.years_old(day) - 70, 0) * 0.15

    def weight_on(self, rng: random.Random, profile: Profile, day: datetime.date) -> float:
        years = profile.years_old(day)
        if years >= ADULT_AGE:
            return self.adult_weight.sample(rng, day)
        typical = interpolate(curve(profile.sex, 1), years) * self.weight_factor
        return typical * rng.gauss(1, 0.015)

    def head_on(self, profile: Profile, day: datetime.date) -> float:
        return interpolate(list(HEAD_CURVE), profile.years_old(day)) * self.head_factor


def adult_bmi(rng: random.Random) -> float:
    return min(max(rng.gauss(27.0, 4.5), 18.5), 44.0)


def weight_change_per_year(rng: random.Random, age: int) -> float:
    """Most adults drift slowly; about a quarter gain steadily, a tenth lose."""
    pattern = rng.random()
    if age >= 75:
        return rng.gauss(-0.4, 0.3)
    if pattern < 0.25:
        return rng.gauss(1.6, 0.4)
    if pattern < 0.35:
        return rng.gauss(-1.0, 0.3)
    return rng.gauss(0.2, 0.3)


def draw_body(rng: random.Random, profile: Profile, bmi: float) -> Body:
    height_factor = rng.gauss(1.0, 0.035)
    # Taller children are heavier too, so a child's BMI stays near the middle of the range.
    weight_factor = height_factor**2.5 * min(max(rng.gauss(1.0, 0.08), 0.85), 1.25)
    adult_from = max(profile.start, years_before(profile.birth_date, -ADULT_AGE))
    adult_height = curve(profile.sex, 0)[-1][1] * height_factor / 100
    if profile.years_old(profile.start) < ADULT_AGE:
        weight = curve(profile.sex, 1)[-1][1] * weight_factor
    else:
        weight = bmi * adult_height**2
    per_year = weight_change_per_year(rng, profile.age_on(profile.today))
    trend = steady(adult_from, weight, per_year, max(profile.today, adult_from), noise=0.6)
    return Body(height_factor, weight_factor, rng.gauss(1.0, 0.02), trend)
