"""Date helpers."""

from __future__ import annotations

import datetime


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)
