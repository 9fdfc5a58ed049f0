"""Vital signs: blood pressure, weight, body mass index and heart rate, over a period or latest.

Privacy and performance rules as in `selectors.results`: one patient, visible rows only, index
columns only (blood pressure's two numbers come from the `components` column, never from the
resource's JSON). Each read is one query, however many readings there are.
"""

from __future__ import annotations

import datetime
import functools
import json
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import Q, Subquery, TextField
from django.db.models.functions import Cast

from carebridge.records.measures import in_us_customary, uses_us_customary
from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet, ResourceType
from carebridge.records.selectors.cells import day_words
from carebridge.records.selectors.trends import Reading, moment_column, moment_reader
from carebridge.records.selectors.wording import calendar_day, number_words

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope

LOINC = "http://loinc.org"
# The LOINC blood pressure panel, and Synthea's vital-signs panel that carries the same parts.
BLOOD_PRESSURE_PANELS = ("85354-9", "55284-4")
SYSTOLIC, DIASTOLIC = "8480-6", "8462-4"
WEIGHT_CODES = ("29463-7", "3141-9")
BMI_CODES = ("39156-5",)
HEART_RATE_CODES = ("8867-4",)
ALL_CODES = (*BLOOD_PRESSURE_PANELS, *WEIGHT_CODES, *BMI_CODES, *HEART_RATE_CODES)
# What people call normal blood pressure: below 120 (upper number) and below 80 (lower).
NORMAL_SYSTOLIC_BELOW, NORMAL_DIASTOLIC_BELOW = 120.0, 80.0


class BloodPressure(NamedTuple):
    """One blood pressure reading; its words are worked out only when shown."""

    pk: int
    when: datetime.datetime
    systolic: float
    diastolic: float
    zone: ZoneInfo

    @property
    def day(self) -> datetime.date:
        day = calendar_day(self.when, self.zone)
        assert day is not None
        return day

    @property
    def day_text(self) -> str:
        return day_words(self.day)

    @property
    def value(self) -> str:
        return f"{number_words(self.systolic)}/{number_words(self.diastolic)}"

    @property
    def is_above_normal(self) -> bool:
        return self.systolic >= NORMAL_SYSTOLIC_BELOW or self.diastolic >= NORMAL_DIASTOLIC_BELOW


@dataclass
class Vitals:
    """Readings of each vital sign, oldest first."""

    blood_pressure: list[BloodPressure] = field(default_factory=list)
    weight: list[Reading] = field(default_factory=list)
    bmi: list[Reading] = field(default_factory=list)
    heart_rate: list[Reading] = field(default_factory=list)


def _vital_rows(scope: RecordScope) -> ClinicalResourceQuerySet:
    return (
        scope.resources()
        .of_type(ResourceType.OBSERVATION)
        .filter(code_system=LOINC, effective_at__isnull=False)
    )


def list_vitals(
    scope: RecordScope, *, zone: ZoneInfo, since: datetime.datetime | None = None
) -> Vitals:
    """Every visible reading of the four vital signs since `since` (all when None), one query."""
    rows = _vital_rows(scope).filter(code__in=ALL_CODES)
    if since is not None:
        rows = rows.filter(effective_at__gte=since)
    # Ordered by code first, so SQLite reads just these codes' rows through their index (by
    # date first, it walks every observation of the period); `_sorted` puts them in date order.
    vitals = _sorted(rows.order_by("code", "effective_at", "pk"), zone)
    return _in_clinic_units(vitals, scope)


def latest_vitals(scope: RecordScope, *, zone: ZoneInfo) -> Vitals:
    """The newest reading of each vital sign (each list has one reading at most), one query.

    One scalar subquery per vital sign, joined with OR: SQLite cannot LIMIT inside a UNION.
    """
    rows = _vital_rows(scope)
    groups = (BLOOD_PRESSURE_PANELS, WEIGHT_CODES, BMI_CODES, HEART_RATE_CODES)
    newest = functools.reduce(
        operator.or_, (Q(pk=Subquery(_newest_pk(rows, codes))) for codes in groups)
    )
    # Every primary key here comes from the scoped rows' subqueries.
    vitals = _sorted(ClinicalResource.objects.filter(newest).order_by("effective_at", "pk"), zone)
    return _in_clinic_units(vitals, scope)


def _in_clinic_units(vitals: Vitals, scope: RecordScope) -> Vitals:
    # Weight is the one of the four with a US customary unit; blood pressure, BMI and heart
    # rate read the same everywhere.
    if uses_us_customary(scope.patient.clinic):
        vitals.weight = [in_us_customary(reading) for reading in vitals.weight]
    return vitals


def _newest_pk(rows: ClinicalResourceQuerySet, codes: Sequence[str]) -> Any:
    return rows.filter(code__in=codes).order_by("-effective_at", "-pk").values("pk")[:1]


# The columns a vital sign's reading needs, after its moment and before its components.
VITAL_COLUMNS = (
    "value_numeric",
    "value_unit",
    "reference_low",
    "reference_high",
    "reference_text",
    "interpretation",
    "code",
)


def _sorted(rows: ClinicalResourceQuerySet, zone: ZoneInfo) -> Vitals:
    # One pass, a tuple per reading and nothing else: this runs once per reading in the period.
    vitals = Vitals()
    lists = dict.fromkeys(WEIGHT_CODES, vitals.weight) | dict.fromkeys(BMI_CODES, vitals.bmi)
    panels: list[tuple[int, datetime.datetime, str]] = []
    # The components come as JSON text: Django decoding every row's (mostly empty) list took
    # longer than the rest of the loop. Only blood pressure panels' are decoded, all at once.
    components = Cast("components", output_field=TextField())
    read = moment_reader(rows.db)
    for pk, moment, number, unit, low, high, range_text, flag, code, parts in rows.values_list(
        "pk", moment_column(), *VITAL_COLUMNS, components
    ):
        when = read(moment)
        if code in BLOOD_PRESSURE_PANELS:
            panels.append((pk, when, parts or "null"))
        elif number is not None:
            readings = lists.get(code, vitals.heart_rate)
            readings.append(Reading(pk, when, number, "", unit, low, high, range_text, flag, zone))
    # One parse of a long text is quicker than a thousand parses of short ones.
    decoded = json.loads(f"[{','.join(parts for _pk, _when, parts in panels)}]")
    for (pk, when, _parts), parts in zip(panels, decoded, strict=True):
        reading = blood_pressure_from(pk, when, parts, zone)
        if reading is not None:
            vitals.blood_pressure.append(reading)
    # Oldest first. A sign with two codes (weight) comes as two runs, which sorting merges.
    by_moment = operator.itemgetter(1, 0)
    vitals.blood_pressure.sort(key=by_moment)
    for readings in (vitals.weight, vitals.bmi, vitals.heart_rate):
        readings.sort(key=by_moment)
    return vitals


def blood_pressure_from(
    pk: int, when: datetime.datetime | None, components: Any, zone: ZoneInfo
) -> BloodPressure | None:
    """A reading from a panel's components; None unless both numbers (and a date) are there."""
    systolic = diastolic = None
    for part in components if isinstance(components, list) else ():
        if isinstance(part, dict):
            code = part.get("code")
            if code == SYSTOLIC:
                systolic = part.get("value")
            elif code == DIASTOLIC:
                diastolic = part.get("value")
    if not isinstance(systolic, int | float) or not isinstance(diastolic, int | float) or not when:
        return None
    return BloodPressure(pk, when, float(systolic), float(diastolic), zone)
