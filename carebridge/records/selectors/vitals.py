"""Vital signs: blood pressure, weight, body mass index and heart rate, over a period or latest.

Privacy and performance rules as in `selectors.results`: one patient, visible rows only, index
columns only (blood pressure's two numbers come from the `components` column, never from the
resource's JSON). Each read is one query, however many readings there are.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Q, Subquery

from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet, ResourceType
from carebridge.records.selectors.trends import READING_COLUMNS, Reading, reading_from
from carebridge.records.selectors.wording import calendar_day, number_words

if TYPE_CHECKING:
    from carebridge.patients.models import Patient

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


@dataclass(frozen=True)
class BloodPressure:
    pk: int
    when: datetime.datetime
    day: datetime.date
    systolic: float
    diastolic: float

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


def _vital_rows(patient: Patient) -> ClinicalResourceQuerySet:
    return (
        ClinicalResource.objects.for_patient(patient.pk)
        .of_type(ResourceType.OBSERVATION)
        .visible_to_patient()
        .filter(code_system=LOINC, effective_at__isnull=False)
    )


def list_vitals(
    patient: Patient, *, zone: ZoneInfo, since: datetime.datetime | None = None
) -> Vitals:
    """Every visible reading of the four vital signs since `since` (all when None), one query."""
    rows = _vital_rows(patient).filter(code__in=ALL_CODES)
    if since is not None:
        rows = rows.filter(effective_at__gte=since)
    return _sorted(rows.order_by("effective_at", "pk"), zone)


def latest_vitals(patient: Patient, *, zone: ZoneInfo) -> Vitals:
    """The newest reading of each vital sign (each list has one reading at most), one query.

    One scalar subquery per vital sign, joined with OR: SQLite cannot LIMIT inside a UNION.
    """
    rows = _vital_rows(patient)
    groups = (BLOOD_PRESSURE_PANELS, WEIGHT_CODES, BMI_CODES, HEART_RATE_CODES)
    newest = functools.reduce(
        operator.or_, (Q(pk=Subquery(_newest_pk(rows, codes))) for codes in groups)
    )
    return _sorted(ClinicalResource.objects.filter(newest).order_by("effective_at", "pk"), zone)


def _newest_pk(rows: ClinicalResourceQuerySet, codes: Sequence[str]) -> Any:
    return rows.filter(code__in=codes).order_by("-effective_at", "-pk").values("pk")[:1]


def _sorted(rows: ClinicalResourceQuerySet, zone: ZoneInfo) -> Vitals:
    vitals = Vitals()
    for value in rows.values_list(*READING_COLUMNS, "code", "components"):
        code, components = value[-2], value[-1]
        if code in BLOOD_PRESSURE_PANELS:
            reading = blood_pressure_from(value[0], value[2], components, zone)
            if reading is not None:
                vitals.blood_pressure.append(reading)
        elif value[3] is not None:
            _list_for(vitals, code).append(reading_from(value[:-2], zone))
    return vitals


def _list_for(vitals: Vitals, code: str) -> list[Reading]:
    if code in WEIGHT_CODES:
        return vitals.weight
    if code in BMI_CODES:
        return vitals.bmi
    return vitals.heart_rate


def blood_pressure_from(
    pk: int, when: datetime.datetime, components: Any, zone: ZoneInfo
) -> BloodPressure | None:
    """A reading from a panel's components; None unless both numbers are there."""
    parts = components if isinstance(components, list) else []
    numbers = {part.get("code"): part.get("value") for part in parts if isinstance(part, dict)}
    systolic, diastolic = numbers.get(SYSTOLIC), numbers.get(DIASTOLIC)
    day = calendar_day(when, zone)
    if not isinstance(systolic, int | float) or not isinstance(diastolic, int | float) or not day:
        return None
    return BloodPressure(pk, when, day, float(systolic), float(diastolic))
