"""Search parameters: how each kind of FHIR search value is read, and what it filters.

A parameter is declared once (see `types.SERVED`) with the indexed column it searches; here
its values are parsed (a bad value is a 400 naming the parameter) and turned into a filter on
`ClinicalResource`, or, for the Patient (one resource, built in memory), into a test on its JSON.
Several values separated by commas match any of them; the same parameter given twice must
match both times.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from carebridge.fhir.api.errors import BadParameterError, Json

DATE_PREFIXES = ("eq", "ge", "gt", "le", "lt")
_DATE = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


class OtherPatientError(Exception):
    """A `patient` value naming someone other than the token's patient: the search finds
    nothing (an empty Bundle), whoever that is."""


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system; "": no system (`|code`)
    code: str


@dataclass(frozen=True)
class DateRange:
    prefix: str
    start: datetime.datetime
    end: datetime.datetime  # exclusive


def split_values(value: str) -> list[str]:
    """Comma-separated alternatives (an escaped `\\,` stays a comma in its value)."""
    parts = re.split(r"(?<!\\),", value)
    return [part.replace("\\,", ",") for part in parts]


def parse_token(name: str, raw: str) -> Token:
    if "|" in raw:
        system, _, code = raw.partition("|")
        if not code:
            raise BadParameterError(name, "a token needs a code after the '|'.")
        return Token(system, code)
    if not raw:
        raise BadParameterError(name, "the value is empty.")
    return Token(None, raw)


def parse_date(name: str, raw: str) -> DateRange:
    """`[prefix]YYYY[-MM[-DD[Thh:mm[:ss][zone]]]]`, as the range of instants it stands for
    (a date without a zone is read in UTC)."""
    prefix = raw[:2] if raw[:2] in DATE_PREFIXES else "eq"
    text = raw[2:] if raw[:2] in DATE_PREFIXES else raw
    found = _DATE.match(text)
    if found is None:
        raise BadParameterError(name, "the date is not in the form YYYY, YYYY-MM or YYYY-MM-DD.")
    try:
        start, end = _bounds(found)
    except (ValueError, OverflowError):
        raise BadParameterError(name, "the date does not exist.") from None
    return DateRange(prefix, start, end)


def _bounds(found: re.Match[str]) -> tuple[datetime.datetime, datetime.datetime]:
    year = int(found["year"])
    if found["time"]:
        zone = _zone(found["zone"] or "Z")
        moment = datetime.datetime.fromisoformat(
            f"{found['year']}-{found['month']}-{found['day']}T{found['time']}"
        ).replace(tzinfo=zone)
        step = datetime.timedelta(seconds=1 if found["time"].count(":") == 2 else 60)
        return moment, moment + step
    if found["day"]:
        day = datetime.datetime(year, int(found["month"]), int(found["day"]), tzinfo=datetime.UTC)
        return day, day + datetime.timedelta(days=1)
    if found["month"]:
        month = int(found["month"])
        start = datetime.datetime(year, month, 1, tzinfo=datetime.UTC)
        following = (year + 1, 1) if month == 12 else (year, month + 1)
        return start, datetime.datetime(*following, 1, tzinfo=datetime.UTC)
    return (
        datetime.datetime(year, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC),
    )


def _zone(text: str) -> datetime.tzinfo:
    if text == "Z":
        return datetime.UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))


def date_query(column: str, value: DateRange) -> Q:
    """The rows whose instant in `column` falls in the range as the prefix asks."""
    if value.prefix == "ge":
        return Q(**{f"{column}__gte": value.start})
    if value.prefix == "gt":
        return Q(**{f"{column}__gte": value.end})
    if value.prefix == "le":
        return Q(**{f"{column}__lt": value.end})
    if value.prefix == "lt":
        return Q(**{f"{column}__lt": value.start})
    return Q(**{f"{column}__gte": value.start, f"{column}__lt": value.end})


def date_matches(moment: datetime.datetime, value: DateRange) -> bool:
    checks: dict[str, Callable[[], bool]] = {
        "ge": lambda: moment >= value.start,
        "gt": lambda: moment >= value.end,
        "le": lambda: moment < value.end,
        "lt": lambda: moment < value.start,
        "eq": lambda: value.start <= moment < value.end,
    }
    return checks[value.prefix]()


class SearchParam:
    """One search parameter of one type: `query` filters rows, `matches` tests a resource."""

    kind = "token"

    def query(self, name: str, raw: str) -> Q:
        raise NotImplementedError

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class TokenColumn(SearchParam):
    """A coded value in an indexed column, with the system in `system_column` when there is
    one (otherwise a system given in the search is not compared: the column holds codes)."""

    column: str
    system_column: str = ""
    # Codes the column stores under another name (HL7 v2 report sections as categories).
    aliases: Mapping[str, str] = field(default_factory=dict)
    kind = "token"

    def query(self, name: str, raw: str) -> Q:
        wanted = Q(pk__in=[])
        for token in (parse_token(name, value) for value in split_values(raw)):
            match = Q(**{self.column: self.aliases.get(token.code, token.code)})
            if self.system_column and token.system is not None:
                match &= Q(**{self.system_column: token.system})
            wanted |= match
        return wanted


@dataclass(frozen=True)
class JsonCode(SearchParam):
    """A plain code element of the stored JSON with no indexed column (a MedicationRequest's
    `intent`): matched on the patient's rows of one type, which the other filters narrow."""

    element: str
    kind = "token"

    def query(self, name: str, raw: str) -> Q:
        codes = [parse_token(name, value).code for value in split_values(raw)]
        return Q(**{f"resource__{self.element}__in": codes})


@dataclass(frozen=True)
class DateColumn(SearchParam):
    column: str
    kind = "date"

    def query(self, name: str, raw: str) -> Q:
        wanted = Q(pk__in=[])
        for value in split_values(raw):
            wanted |= date_query(self.column, parse_date(name, value))
        return wanted


@dataclass(frozen=True)
class IdParam(SearchParam):
    """`_id`: the API id (a uuid); anything else matches nothing."""

    kind = "token"

    def query(self, name: str, raw: str) -> Q:
        return Q(api_id__in=list(_uuids(split_values(raw))))

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        return str(resource.get("id")) in {str(value) for value in _uuids(split_values(raw))}


def _uuids(values: Iterable[str]) -> Iterable[uuid.UUID]:
    for value in values:
        try:
            yield uuid.UUID(value)
        except ValueError:
            continue


@dataclass(frozen=True)
class PatientParam(SearchParam):
    """`patient`: the token's patient (`<id>`, `Patient/<id>` or a full URL). Any other
    patient raises `OtherPatientError`, so the search finds nothing; on the patient's own rows the
    filter is already applied by the record scope."""

    kind = "reference"

    def check(self, name: str, raw: str, patient_id: str) -> None:
        for value in split_values(raw):
            if value.rstrip("/").rsplit("/", 1)[-1] != patient_id:
                raise OtherPatientError

    def query(self, name: str, raw: str) -> Q:
        return Q()
