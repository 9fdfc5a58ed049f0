"""The health summary: the few things a patient (or their next doctor) most needs at a glance.

Privacy and performance rules as in `selectors.results`: one patient, visible rows only, index
columns only, a few rows per block. The summary costs the same number of queries for any
record, because each block is one query with a limit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import F

from carebridge.records.models import ClinicalResourceQuerySet, ResourceType
from carebridge.records.selectors.results import (
    ResultCounts,
    ResultRow,
    recent_results,
    result_counts,
)
from carebridge.records.selectors.vitals import Vitals, latest_vitals
from carebridge.records.selectors.wording import calendar_day

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope

T = TypeVar("T")
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
    """Each block, or None when the viewer may not see that part of the record."""

    problems: Block | None
    medications: Block | None
    allergies: Block | None
    immunizations: Block | None
    vitals: Vitals | None
    results: list[ResultRow] | None
    counts: ResultCounts | None


MEDICATION_TYPES = (ResourceType.MEDICATION_REQUEST, ResourceType.MEDICATION_STATEMENT)


def get_health_summary(scope: RecordScope, *, zone: ZoneInfo) -> HealthSummary:
    """Every block of the summary the viewer may see: seven queries at most, whatever the
    record's size (fewer when parts are left out)."""
    records = scope.resources()
    problems = records.of_type(ResourceType.CONDITION).filter(clinical_status__in=ACTIVE_PROBLEM)
    medications = records.filter(resource_type__in=MEDICATION_TYPES, clinical_status="active")
    allergies = records.of_type(ResourceType.ALLERGY).exclude(clinical_status__in=ALLERGY_OVER)
    vaccines = records.of_type(ResourceType.IMMUNIZATION).exclude(status="not-done")
    return HealthSummary(
        problems=_if(scope, "problems", lambda: _block(problems, zone)),
        medications=_if(scope, "medications", lambda: _block(medications, zone)),
        allergies=_if(scope, "allergies", lambda: _block(allergies, zone)),
        immunizations=_if(
            scope, "immunizations", lambda: _block(vaccines, zone, size=RECENT_IMMUNIZATIONS)
        ),
        vitals=_if(scope, "vitals", lambda: latest_vitals(scope, zone=zone)),
        results=_if(scope, "results", lambda: recent_results(scope, zone)),
        counts=_if(scope, "results", lambda: result_counts(scope)),
    )


def _if(scope: RecordScope, part: str, read: Callable[[], T]) -> T | None:
    """`read()` when the viewer may see this part of the record; None, with no query, if not."""
    return read() if scope.may_see(part) else None


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
