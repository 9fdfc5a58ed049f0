"""One result or one report, ready to show: values in words, dates in the clinic's time, notes.

The resource itself comes from `access_resource` (the viewer's patient's, released, audited).
Reading its own JSON is fine here: it is one resource, already loaded.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from carebridge.records.indexing import reference_id
from carebridge.records.lab_notes import LabNote, note_for
from carebridge.records.models import ClinicalResource
from carebridge.records.scope import RecordScope
from carebridge.records.selectors.results import LOINC, ReportLink, reports_of
from carebridge.records.selectors.wording import (
    calendar_day,
    number_words,
    quantity_words,
    range_words,
    unit_words,
)


@dataclass(frozen=True)
class Moment:
    """A day, and the time of day when the record gives one (not for a date-only value)."""

    day: datetime.date
    time: datetime.time | None = None


@dataclass(frozen=True)
class Part:
    """One part of a panel (a blood pressure's upper number, say)."""

    name: str
    value: str


@dataclass(frozen=True)
class ResultDetail:
    pk: int
    name: str
    code: str
    is_loinc: bool
    value: str
    unit: str
    range_text: str
    flag: str
    note: LabNote
    collected: Moment | None
    resulted: Moment | None
    performer: str
    ordered_by: str
    report: ReportLink | None
    parts: list[Part] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportDetail:
    pk: int
    name: str
    collected: Moment | None
    resulted: Moment | None
    performer: str
    ordered_by: str
    conclusion: str


def moment(when: datetime.datetime | None, zone: ZoneInfo) -> Moment | None:
    """A stored date or dateTime as the clinic's calendar and clock have it."""
    day = calendar_day(when, zone)
    if when is None or day is None:
        return None
    utc = when.astimezone(datetime.UTC)
    # A FHIR date without a time is stored as midnight UTC (see `calendar_day`): no clock time.
    if utc.time() == datetime.time.min:
        return Moment(day)
    return Moment(day, when.astimezone(zone).time())


def get_result_detail(scope: RecordScope, row: ClinicalResource, zone: ZoneInfo) -> ResultDetail:
    """The result page's content for one Observation (one query: the report that groups it)."""
    reports = reports_of(scope, [(row.fhir_id, row.effective_at)])
    numeric = row.value_numeric is not None
    return ResultDetail(
        pk=row.pk,
        name=row.code_display,
        code=row.code,
        is_loinc=row.code_system == LOINC and bool(row.code),
        value=number_words(row.value_numeric) if numeric else row.value_text,
        unit=unit_words(row.value_unit) if numeric else "",
        range_text=range_words(row.reference_text, row.value_unit),
        flag=row.interpretation,
        note=note_for(row.code_system, row.code),
        collected=moment(row.effective_at, zone),
        resulted=moment(row.issued_at, zone),
        performer=row.performer,
        ordered_by=ordered_by(scope, row),
        report=reports.get(row.fhir_id),
        parts=[_part(component) for component in row.components if component.get("display")],
        comments=_comments(row.resource),
    )


def get_report_detail(scope: RecordScope, report: ClinicalResource, zone: ZoneInfo) -> ReportDetail:
    return ReportDetail(
        pk=report.pk,
        name=report.code_display,
        collected=moment(report.effective_at, zone),
        resulted=moment(report.issued_at, zone),
        performer=report.performer,
        ordered_by=ordered_by(scope, report),
        conclusion=str(report.resource.get("conclusion") or ""),
    )


def _part(component: Mapping[str, Any]) -> Part:
    value = quantity_words(component.get("value"), str(component.get("unit") or ""))
    return Part(name=str(component["display"]), value=value)


def ordered_by(scope: RecordScope, row: ClinicalResource) -> str:
    """Who asked for the test: the requester of the order (ServiceRequest) it is based on.

    One query, and only when the resource names an order; the order must be within the
    viewer's scope of the same patient's record.
    """
    based_on = row.resource.get("basedOn")
    first = based_on[0] if isinstance(based_on, list) and based_on else None
    if not isinstance(first, Mapping):
        return ""
    if not str(first.get("reference", "")).startswith("ServiceRequest/"):
        return ""
    requester = (
        scope.all_resources()
        .filter(resource_type="ServiceRequest", fhir_id=reference_id(first))
        .values_list("performer", flat=True)
        .first()
    )
    return requester or ""


def _comments(resource: Mapping[str, Any]) -> list[str]:
    notes = resource.get("note")
    notes = notes if isinstance(notes, list) else []
    return [str(note["text"]) for note in notes if isinstance(note, Mapping) and note.get("text")]
