"""Results as the clinic ordered them: one group per report or panel, newest first.

A DiagnosticReport lists its results (`result`); a panel Observation lists its parts
(`hasMember`). A result in a report belongs to the report's group, a part of a panel to the
panel's (or to the report that lists the panel), and a result in neither stands alone as its
own group. A complete blood count is then one row, not 26.

Privacy rule: as in `selectors.results`, every read starts from the viewer's `RecordScope`, so a
caregiver sees the same grouping of only what their grant shows, and held results stay hidden.

Performance rule: a list costs the same number of queries (four) for three reports or three
thousand: the groups are worked out from index columns and the reports' `result` element (no
other JSON), and only the page's results are read whole.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from carebridge.records.links import record_url
from carebridge.records.models import ResourceType, ResultComment
from carebridge.records.selectors.cells import day_words, new_badge_markup
from carebridge.records.selectors.results import (
    ROW_COLUMNS,
    ReportLink,
    ResultRow,
    observation_ids,
    patient_results,
    row_from_values,
)
from carebridge.records.selectors.wording import calendar_day

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from carebridge.records.scope import RecordScope

_NEVER = datetime.datetime.min.replace(tzinfo=datetime.UTC)


@dataclass
class GroupKey:
    """A group before its results are read: what paging, searching and counting need."""

    kind: str  # "report", "panel" or "result"
    pk: int
    name: str
    when: datetime.datetime | None
    member_pks: list[int] = field(default_factory=list)
    member_names: list[str] = field(default_factory=list)
    is_new: bool = False

    def matches(self, words: str) -> bool:
        """Whether the report's or panel's name, or one of its tests' names, holds the words."""
        wanted = words.casefold()
        return any(wanted in name.casefold() for name in [self.name, *self.member_names])


@dataclass(frozen=True)
class ResultGroup:
    """One row of the results list: a report or panel with its results, or one result."""

    kind: str
    pk: int
    name: str
    day: datetime.date | None
    is_new: bool
    rows: list[ResultRow]
    # The clinician wrote a comment on the report, the panel or one of its results.
    has_comment: bool = False

    @property
    def url(self) -> str:
        if self.kind == "report":
            return record_url("report-detail", self.pk)
        return record_url("result-detail", self.pk)

    @property
    def is_single(self) -> bool:
        return self.kind == "result" and len(self.rows) == 1

    @property
    def single(self) -> ResultRow | None:
        return self.rows[0] if self.is_single else None

    @property
    def attention(self) -> list[ResultRow]:
        """The group's results flagged outside the normal range, in the group's order."""
        return [row for row in self.rows if row.flag not in ("", "N")]

    @property
    def day_text(self) -> str:
        return day_words(self.day) if self.day is not None else ""

    @property
    def new_badge_html(self) -> SafeString:
        return new_badge_markup() if self.is_new else SafeString("")


def list_group_keys(
    scope: RecordScope, condition: Q | None = None, words: str = ""
) -> list[GroupKey]:
    """The visible results matching `condition` (from `result_filter`) as groups, newest first;
    with `words`, only the groups whose name or one of whose tests' names holds them.

    Three queries, whatever the record's size: the results' index columns, the reports'
    `result` lists, and the panels' `hasMember` lists.
    """
    results = list(
        patient_results(scope)
        .filter(condition or Q())
        .values_list("pk", "fhir_id", "code_display", "effective_at", "seen_at")
    )
    by_fhir_id = {value[1]: value for value in results}
    parent = _panel_parents(scope, by_fhir_id)
    groups: dict[tuple[str, int], GroupKey] = {}
    placed: set[str] = set()
    for pk, name, when, references in _reports(scope):
        key = GroupKey("report", pk, name or str(_("Test report")), when)
        for fhir_id in _members(observation_ids(references), parent):
            if fhir_id in by_fhir_id and fhir_id not in placed:
                placed.add(fhir_id)
                # A panel in a report is a heading, not a result: its parts follow it.
                if fhir_id not in parent.panels:
                    _add(key, by_fhir_id[fhir_id])
        if key.member_pks:
            groups[("report", pk)] = key
    for panel_id, members in parent.panels.items():
        if panel_id in placed or panel_id not in by_fhir_id:
            continue
        pk, _fhir_id, name, when, _seen = by_fhir_id[panel_id]
        key = GroupKey("panel", pk, name or str(_("Unnamed test")), when)
        placed.add(panel_id)
        for fhir_id in members:
            if fhir_id in by_fhir_id and fhir_id not in placed:
                placed.add(fhir_id)
                _add(key, by_fhir_id[fhir_id])
        groups[("panel", pk)] = key
    for fhir_id, value in by_fhir_id.items():
        if fhir_id not in placed:
            key = GroupKey("result", value[0], value[2] or str(_("Unnamed test")), value[3])
            _add(key, value)
            groups[("result", value[0])] = key
    found = [key for key in groups.values() if not words or key.matches(words)]
    # Newest first; undated last; a report before the lone results of the same moment.
    return sorted(
        found,
        key=lambda key: (
            key.when is None,
            -(key.when or _NEVER).timestamp(),
            key.kind != "report",
            key.pk,
        ),
    )


def _add(key: GroupKey, value: tuple[Any, ...]) -> None:
    pk, _fhir_id, name, _when, seen = value
    key.member_pks.append(pk)
    key.member_names.append(name or "")
    key.is_new = key.is_new or seen is None


@dataclass
class _Panels:
    """Each panel's parts (by fhir_id, in order), and each part's panel."""

    panels: dict[str, list[str]] = field(default_factory=dict)
    part_of: dict[str, str] = field(default_factory=dict)


def _panel_parents(scope: RecordScope, by_fhir_id: dict[str, Any]) -> _Panels:
    # A panel carries no value of its own; only those rows' `hasMember` is read.
    rows = (
        patient_results(scope)
        .filter(value_numeric__isnull=True, value_text="")
        .values_list("fhir_id", "resource__hasMember")
    )
    found = _Panels()
    for fhir_id, members in rows:
        parts = observation_ids(members)
        if parts:
            found.panels[fhir_id] = parts
            for part in parts:
                found.part_of.setdefault(part, fhir_id)
    return found


def _members(ids: list[str], panels: _Panels) -> list[str]:
    """A report's results, each panel among them followed by its parts."""
    found: list[str] = []
    for fhir_id in ids:
        found.append(fhir_id)
        found.extend(panels.panels.get(fhir_id, []))
    return found


def _reports(scope: RecordScope) -> Any:
    return (
        scope.resources()
        .of_type(ResourceType.DIAGNOSTIC_REPORT)
        .values_list("pk", "code_display", "effective_at", "resource__result")
    )


def result_groups(scope: RecordScope, keys: list[GroupKey], zone: ZoneInfo) -> list[ResultGroup]:
    """The page's groups with their results in words, and which have a clinician's comment,
    in two queries."""
    wanted = [pk for key in keys for pk in key.member_pks]
    values = patient_results(scope).filter(pk__in=wanted).values_list(*ROW_COLUMNS)
    by_pk = {value[0]: value for value in values}
    commented = set(
        ResultComment.objects.filter(
            patient=scope.patient, resource_id__in=[*wanted, *(key.pk for key in keys)]
        ).values_list("resource_id", flat=True)
    )
    groups = []
    for key in keys:
        link = ReportLink(key.pk, key.name) if key.kind == "report" else None
        rows = [row_from_values(by_pk[pk], zone, link) for pk in key.member_pks if pk in by_pk]
        day = calendar_day(key.when, zone)
        has_comment = key.pk in commented or not commented.isdisjoint(key.member_pks)
        groups.append(ResultGroup(key.kind, key.pk, key.name, day, key.is_new, rows, has_comment))
    return groups


def count_new_groups(scope: RecordScope) -> int:
    """How many reports, panels and lone results hold a result the patient has not opened
    (kept between the viewer's requests while the record is unchanged)."""
    return scope.kept("new-groups", lambda: sum(1 for key in list_group_keys(scope) if key.is_new))
