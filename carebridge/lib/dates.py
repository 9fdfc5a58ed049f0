"""Date helpers."""

from __future__ import annotations

import datetime


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years of age on `day` (someone born on 29 February turns a year older on 1 March)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def parse_fhir_datetime(value: object) -> datetime.datetime | None:
    """A FHIR date, dateTime or instant as an aware UTC datetime; None if it is not one.

    Partial dates ("2019", "2019-04") and plain dates mean the start of that period, in UTC.
    A dateTime without a zone (FHIR forbids it, but exports have them) is taken as UTC.
    """
    if not isinstance(value, str) or len(value) < 4:
        return None
    text = value.strip()
    try:
        if len(text) == 4:
            return datetime.datetime(int(text), 1, 1, tzinfo=datetime.UTC)
        if len(text) == 7:
            return datetime.datetime(int(text[:4]), int(text[5:7]), 1, tzinfo=datetime.UTC)
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=datetime.UTC)
    return parsed.astimezone(datetime.UTC)
