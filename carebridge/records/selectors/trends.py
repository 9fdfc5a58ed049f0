"""One test's readings over time, for the result page's chart and the trend page.

Privacy and performance rules as in `selectors.results`: one patient, visible rows only, index
columns only. A history is one query however long it is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.records.models import ClinicalResource, ResourceType
from carebridge.records.selectors.wording import calendar_day, number_words, unit_words

if TYPE_CHECKING:
    from carebridge.patients.models import Patient

# The periods a chart can show, by the value of the `period` query parameter.
PERIODS: dict[str, Promise] = {
    "1y": _("Last year"),
    "5y": _("Last 5 years"),
    "all": _("All readings"),
}
PERIOD_YEARS = {"1y": 1, "5y": 5}
READING_COLUMNS = (
    "pk",
    "code_display",
    "effective_at",
    "value_numeric",
    "value_text",
    "value_unit",
    "reference_low",
    "reference_high",
    "reference_text",
    "interpretation",
)


@dataclass(frozen=True)
class Reading:
    """One dated reading of a test, in words, with the numbers a chart needs."""

    pk: int
    when: datetime.datetime
    day: datetime.date
    number: float | None
    value: str
    unit_code: str
    unit: str
    low: float | None
    high: float | None
    range_text: str
    flag: str


@dataclass(frozen=True)
class History:
    """A test's readings, oldest first, and its name as the latest reading gives it."""

    name: str
    readings: list[Reading]


def chosen_period(value: str | None, default: str) -> str:
    """The period asked for, or the default when the parameter is missing or unknown."""
    return value if value in PERIODS else default


def period_start(period: str, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the period begins; None for all readings."""
    years = PERIOD_YEARS.get(period)
    if years is None:
        return None
    return (now or timezone.now()) - datetime.timedelta(days=round(365.25 * years))


def get_history(
    patient: Patient,
    *,
    code_system: str,
    code: str,
    zone: ZoneInfo,
    since: datetime.datetime | None = None,
) -> History:
    """Every visible, dated reading of one test (system and code) for the patient, oldest first.

    Any category counts, so a vital sign such as weight has a history too.
    """
    rows = (
        ClinicalResource.objects.for_patient(patient.pk)
        .of_type(ResourceType.OBSERVATION)
        .visible_to_patient()
        .filter(code_system=code_system, code=code, effective_at__isnull=False)
    )
    if since is not None:
        rows = rows.filter(effective_at__gte=since)
    values = list(rows.order_by("effective_at", "pk").values_list(*READING_COLUMNS))
    readings = [reading_from(value, zone) for value in values]
    name = values[-1][1] if values else ""
    return History(name=name, readings=readings)


def reading_from(value: tuple[Any, ...], zone: ZoneInfo) -> Reading:
    pk, _name, when, number, text, unit, low, high, range_text, flag = value
    day = calendar_day(when, zone)
    assert day is not None
    return Reading(
        pk=pk,
        when=when,
        day=day,
        number=number,
        value=number_words(number) if number is not None else text,
        unit_code=unit if number is not None else "",
        unit=unit_words(unit) if number is not None else "",
        low=low,
        high=high,
        range_text=range_text,
        flag=flag,
    )
