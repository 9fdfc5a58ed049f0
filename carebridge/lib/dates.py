"""Date helpers."""

from __future__ import annotations

import datetime

# Dates people type are kept to years that Python, SQLite and PostgreSQL can all hold with room
# to add a week or convert between time zones (year 1 or 9999 overflow on the first step).
EARLIEST_INPUT_DATE = datetime.date(1900, 1, 1)
LATEST_INPUT_DATE = datetime.date(2100, 12, 31)
# No place on Earth is further than this from UTC; a larger offset is a made-up value.
LARGEST_UTC_OFFSET = datetime.timedelta(hours=14)


def is_input_date_in_range(
    day: datetime.date,
    earliest: datetime.date = EARLIEST_INPUT_DATE,
    latest: datetime.date = LATEST_INPUT_DATE,
) -> bool:
    """Whether a typed date lies between `earliest` and `latest` (both included)."""
    return earliest <= day <= latest


def parse_input_datetime(text: str) -> datetime.datetime | None:
    """An ISO 8601 date and time with its UTC offset, as sent back by a page; None if it is not
    one, has no offset, has an offset no place uses, or falls outside the input years."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    offset = moment.utcoffset()
    if offset is None or abs(offset) > LARGEST_UTC_OFFSET:
        return None
    if not is_input_date_in_range(moment.date()):
        return None
    return moment


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
