"""Reads for the test-results pages: the list, one test's history, reports, new and held counts.

Privacy rule: every read starts from the `RecordScope` the caller got from `access_record` or
`access_resource` (never from the request), and shows only what that viewer may see: released,
not entered in error, and not sensitive when the scope hides it. Held results are only ever
counted, and sensitive held results are not counted for a viewer they are hidden from.

Performance rule: lists and histories read index columns with `values_list`, never the
resources' JSON, so a page costs the same number of queries for ten results or ten thousand.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from carebridge.records.links import record_url
from carebridge.records.models import (
    RESULT_CATEGORIES,
    ClinicalResource,
    ClinicalResourceQuerySet,
    Release,
    ResourceType,
)
from carebridge.records.selectors.cells import day_words, flag_markup, new_badge_markup
from carebridge.records.selectors.wording import (
    calendar_day,
    number_words,
    range_words,
    unit_words,
)

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope

LOINC = "http://loinc.org"
# The kinds of result a patient can filter by, in their words (the categories' order).
RESULT_KINDS: dict[str, Promise] = {
    "laboratory": _("Lab tests"),
    "imaging": _("Scans and X-rays"),
    "pathology": _("Tissue and cell tests (pathology)"),
    "procedure": _("Results from procedures"),
    "exam": _("Examination findings"),
}
ROW_COLUMNS = (
    "pk",
    "fhir_id",
    "code_display",
    "code_system",
    "code",
    "category",
    "effective_at",
    "value_numeric",
    "value_text",
    "value_unit",
    "reference_text",
    "interpretation",
    "seen_at",
)


@dataclass(frozen=True)
class ReportLink:
    pk: int
    name: str

    @property
    def url(self) -> str:
        return record_url("report-detail", self.pk)

    @cached_property
    def part_of_html(self) -> SafeString:
        """The words saying a result is part of this report, rendered once per report."""
        context = {"url": self.url, "name": self.name}
        return SafeString(render_to_string("records/results/part_of.html", context))


@dataclass(frozen=True)
class ResultRow:
    """One result as list pages show it: every value already in words."""

    pk: int
    fhir_id: str
    name: str
    code_system: str
    code: str
    category: str
    day: datetime.date | None
    value: str
    unit: str
    range_text: str
    flag: str
    is_new: bool
    report: ReportLink | None = None

    @property
    def url(self) -> str:
        return record_url("result-detail", self.pk)

    @property
    def day_text(self) -> str:
        return day_words(self.day) if self.day is not None else ""

    @property
    def flag_html(self) -> SafeString:
        return flag_markup(self.flag)

    @property
    def new_badge_html(self) -> SafeString:
        return new_badge_markup() if self.is_new else SafeString("")


@dataclass(frozen=True)
class ResultCounts:
    new: int
    held: int
    # Visible results the list shows (those matching its filters); counted only when asked.
    listed: int = 0


def patient_results(scope: RecordScope) -> ClinicalResourceQuerySet:
    """The results the viewer may see: released result-category Observations."""
    return (
        scope.resources().of_type(ResourceType.OBSERVATION).filter(category__in=RESULT_CATEGORIES)
    )


def result_filter(
    *,
    zone: ZoneInfo,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    category: str = "",
) -> Q:
    """The results list's filters as one condition: a kind, and a range of days.

    Days are the clinic's. A FHIR date without a time is stored as midnight UTC and shown as
    that day (see `calendar_day`), so each edge is the earlier (or later) of the local and the
    UTC midnight: a date-only result is never left out of its own day.
    """
    condition = Q(category=category) if category else Q()
    if date_from is not None:
        condition &= Q(effective_at__gte=min(_midnight(date_from, zone), _utc(date_from)))
    if date_to is not None:
        after = date_to + datetime.timedelta(days=1)
        condition &= Q(effective_at__lt=max(_midnight(after, zone), _utc(after)))
    return condition


def list_results(scope: RecordScope, condition: Q | None = None) -> Any:
    """The patient's visible results (matching `condition`, from `result_filter`) as
    `ROW_COLUMNS` tuples, newest first; lazy, for paging.

    Results taken at the same moment keep the order they arrived in, which is the order of the
    lab's report.
    """
    rows = patient_results(scope).filter(condition or Q())
    return rows.order_by(F("effective_at").desc(nulls_last=True), "pk").values_list(*ROW_COLUMNS)


def _midnight(day: datetime.date, zone: ZoneInfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def _utc(day: datetime.date) -> datetime.datetime:
    return _midnight(day, ZoneInfo("UTC"))


def result_rows(
    scope: RecordScope, values: Sequence[tuple[Any, ...]], zone: ZoneInfo
) -> list[ResultRow]:
    """`ROW_COLUMNS` tuples as rows, each with the report that groups it (one query)."""
    reports = reports_of(scope, [(value[1], value[6]) for value in values])
    return [row_from_values(value, zone, reports.get(value[1])) for value in values]


def row_from_values(value: tuple[Any, ...], zone: ZoneInfo, report: ReportLink | None) -> ResultRow:
    """One `ROW_COLUMNS` tuple as a row in words."""
    (pk, fhir_id, name, system, code, category, when, number, text, unit, ref, flag, seen) = value
    return ResultRow(
        pk=pk,
        fhir_id=fhir_id,
        name=name or str(_("Unnamed test")),
        code_system=system,
        code=code,
        category=category,
        day=calendar_day(when, zone),
        value=number_words(number) if number is not None else text,
        unit=unit_words(unit) if number is not None else "",
        range_text=range_words(ref, unit),
        flag=flag,
        is_new=seen is None,
        report=report,
    )


def reports_of(
    scope: RecordScope, results: Iterable[tuple[str, datetime.datetime | None]]
) -> dict[str, ReportLink]:
    """The visible report grouping each result, by the result's fhir_id (one query).

    Only a report's JSON lists its results, so only the `result` element of the reports dated
    near these results is read: their number follows the page's, not the record's size.
    """
    results = list(results)
    if not results:
        return {}
    moments = [when for _fhir_id, when in results if when is not None]
    near = Q(effective_at__isnull=True)
    if moments:
        day = datetime.timedelta(days=1)
        near |= Q(effective_at__range=(min(moments) - day, max(moments) + day))
    reports = (
        scope.resources()
        .of_type(ResourceType.DIAGNOSTIC_REPORT)
        .filter(near)
        .values_list("pk", "code_display", "resource__result")
    )
    wanted = {fhir_id for fhir_id, _when in results}
    found: dict[str, ReportLink] = {}
    # Sorted here, not in SQL: ORDER BY pk would lead SQLite to walk every row of the patient
    # in key order instead of reading the few reports of these days through the date index.
    for pk, name, references in sorted(reports):
        # One link per report, shared by its results' rows (it renders its words once).
        link = ReportLink(pk, name or str(_("Report")))
        for fhir_id in observation_ids(references):
            if fhir_id in wanted:
                found.setdefault(fhir_id, link)
    return found


def observation_ids(references: Any) -> list[str]:
    """The Observation ids in a list of FHIR references ("Observation/abc")."""
    ids = []
    for reference in references if isinstance(references, list) else []:
        text = reference.get("reference") if isinstance(reference, dict) else None
        if isinstance(text, str) and text.startswith("Observation/"):
            ids.append(text.removeprefix("Observation/"))
    return ids


def recent_results(scope: RecordScope, zone: ZoneInfo, limit: int = 5) -> list[ResultRow]:
    """The newest few results, for the health summary."""
    values = list(list_results(scope)[:limit])
    return [row_from_values(value, zone, None) for value in values]


def result_counts(scope: RecordScope, *, listed: Q | None = None) -> ResultCounts:
    """How many results are new to the patient and wait for review, in one query.

    With `listed`, the list's filter (from `result_filter`), the same query counts the visible
    results that match it. Held results are counted, never listed: the patient learns only
    that they exist.
    """
    if listed is None:
        return scope.kept("result-counts", lambda: _count_results(scope, None))
    return _count_results(scope, listed)


def _count_results(scope: RecordScope, listed: Q | None) -> ResultCounts:
    counts = {
        "new": Count("pk", filter=Q(release=Release.RELEASED, seen_at__isnull=True)),
        "held": Count("pk", filter=Q(release=Release.HELD)),
    }
    if listed is not None:
        counts["listed"] = Count("pk", filter=Q(release=Release.RELEASED) & listed)
    found = (
        scope.all_resources()
        .of_type(ResourceType.OBSERVATION)
        .filter(category__in=RESULT_CATEGORIES)
        .exclude(status="entered-in-error")
        .aggregate(**counts)
    )
    return ResultCounts(new=found["new"], held=found["held"], listed=found.get("listed", 0))


@dataclass(frozen=True)
class ReportResults:
    rows: list[ResultRow]
    held: int


def report_results(
    scope: RecordScope, report: ClinicalResource, zone: ZoneInfo, element: str = "result"
) -> ReportResults:
    """The report's own results (or, with `element="hasMember"`, a panel's parts), in the
    report's order, and how many are still held.

    The report was fetched through `access_resource`, so it is the viewer's patient's and
    released; its results are read within the viewer's scope only (one query).
    """
    ids = observation_ids(report.resource.get(element))
    if not ids:
        return ReportResults(rows=[], held=0)
    found = (
        scope.all_resources()
        .of_type(ResourceType.OBSERVATION)
        .filter(fhir_id__in=ids)
        .exclude(status="entered-in-error")
        .values_list(*ROW_COLUMNS, "release")
    )
    by_id = {value[1]: value for value in found}
    link = ReportLink(report.pk, report.code_display)
    rows, held = [], 0
    for fhir_id in dict.fromkeys(ids):
        value = by_id.get(fhir_id)
        if value is None:
            continue
        if value[-1] == Release.HELD:
            held += 1
        else:
            rows.append(row_from_values(value[:-1], zone, link))
    return ReportResults(rows=rows, held=held)
