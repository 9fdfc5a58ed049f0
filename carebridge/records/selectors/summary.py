"""The health summary: the few things a patient (or their next doctor) most needs at a glance.

Privacy and performance rules as in `selectors.results`: one patient, visible rows only, index
columns only, a few rows per block. The summary costs the same number of queries for any
record, because each block is one query with a limit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import F

from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet, ResourceType
from carebridge.records.selectors.results import (
    ResultCounts,
    ResultRow,
    recent_results,
    result_counts,
)
from carebridge.records.selectors.vitals import Vitals, latest_vitals
from carebridge.records.selectors.wording import calendar_day

if TYPE_CHECKING:
    from carebridge.patients.models import Patient

# Rows shown per block; each block links to its full page.
BLOCK_SIZE = 8
RECENT_IMMUNIZATIONS = 5
ACTIVE_PROBLEM = ("active", "recurrence", "relapse")
# An allergy is listed unless the record says it is over; many exports leave the status empty.
ALLERGY_OVER = ("inactive", "resolved")


@dataclass(frozen=True)
class SummaryItem:
    name: str
    day: datetime.date | None
    detail: str


@dataclass(frozen=True)
class Block:
    """A few items of one kind, and whether the full page has more."""

    items: list[SummaryItem]
    has_more: bool


@dataclass(frozen=True)
class HealthSummary:
    problems: Block
    medications: Block
    allergies: Block
    immunizations: Block
    vitals: Vitals
    results: list[ResultRow]
    counts: ResultCounts


def get_health_summary(patient: Patient, *, zone: ZoneInfo) -> HealthSummary:
    """Every block of the summary for the patient: seven queries whatever the record's size."""
    records = ClinicalResource.objects.for_patient(patient.pk).visible_to_patient()
    return HealthSummary(
        problems=_block(
            records.of_type(ResourceType.CONDITION).filter(clinical_status__in=ACTIVE_PROBLEM),
            zone,
        ),
        medications=_block(
            records.filter(
                resource_type__in=(
                    ResourceType.MEDICATION_REQUEST,
                    ResourceType.MEDICATION_STATEMENT,
                ),
                clinical_status="active",
            ),
            zone,
        ),
        allergies=_block(
            records.of_type(ResourceType.ALLERGY).exclude(clinical_status__in=ALLERGY_OVER), zone
        ),
        immunizations=_block(
            records.of_type(ResourceType.IMMUNIZATION).exclude(status="not-done"),
            zone,
            size=RECENT_IMMUNIZATIONS,
        ),
        vitals=latest_vitals(patient, zone=zone),
        results=recent_results(patient, zone),
        counts=result_counts(patient),
    )


def _block(rows: ClinicalResourceQuerySet, zone: ZoneInfo, size: int = BLOCK_SIZE) -> Block:
    """The newest `size` rows (one more is read, to know whether there are more)."""
    values = list(
        rows.order_by(F("effective_at").desc(nulls_last=True), "-pk").values_list(
            "code_display", "effective_at", "detail"
        )[: size + 1]
    )
    items = [
        SummaryItem(name=name, day=calendar_day(when, zone), detail=detail)
        for name, when, detail in values[:size]
    ]
    return Block(items=items, has_more=len(values) > size)
