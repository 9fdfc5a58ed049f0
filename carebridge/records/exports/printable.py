"""The print-ready summary: one table per chosen section, in plain words, from index columns.

The same tables are the human-readable text of the C-CDA sections. Everything comes from the
index columns in one query, so a summary never loads a resource's JSON.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.records.exports.selection import (
    SECTIONS_BY_NAME,
    Selection,
    calendar_day,
    permitted_sections,
    section_of,
    selected_resources,
)
from carebridge.records.models import ClinicalResource
from carebridge.records.services import INDEX_FIELDS

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope

# A table or a C-CDA entry reads the index columns only: never the resource's JSON.
INDEX_COLUMNS = ("pk", "resource_type", "fhir_id", *INDEX_FIELDS)
# Flags in words, with a shape that does not rely on colour.
FLAGS: dict[str, Promise] = {
    "H": gettext_lazy("▲ High"),
    "HH": gettext_lazy("▲▲ Very high"),
    "L": gettext_lazy("▼ Low"),
    "LL": gettext_lazy("▼▼ Very low"),
    "A": gettext_lazy("◆ Abnormal"),
    "AA": gettext_lazy("◆◆ Very abnormal"),
    "N": gettext_lazy("Normal"),
}
STATUSES: dict[str, Promise] = {
    "active": gettext_lazy("Active"),
    "inactive": gettext_lazy("Inactive"),
    "resolved": gettext_lazy("Resolved"),
    "remission": gettext_lazy("In remission"),
    "recurrence": gettext_lazy("Came back"),
    "completed": gettext_lazy("Completed"),
    "stopped": gettext_lazy("Stopped"),
    "on-hold": gettext_lazy("On hold"),
    "cancelled": gettext_lazy("Cancelled"),
    "finished": gettext_lazy("Finished"),
    "in-progress": gettext_lazy("In progress"),
    "current": gettext_lazy("Current"),
    "not-done": gettext_lazy("Not done"),
    "final": gettext_lazy("Final"),
    "preliminary": gettext_lazy("Preliminary"),
    "amended": gettext_lazy("Corrected"),
}
COLUMNS: dict[str, tuple[Promise, ...]] = {
    "problems": (
        gettext_lazy("Problem"),
        gettext_lazy("Status"),
        gettext_lazy("Since"),
        gettext_lazy("Ended"),
    ),
    "medications": (
        gettext_lazy("Medication"),
        gettext_lazy("How to take it"),
        gettext_lazy("Status"),
        gettext_lazy("Prescribed"),
        gettext_lazy("Prescribed by"),
    ),
    "allergies": (
        gettext_lazy("Allergy to"),
        gettext_lazy("Reaction"),
        gettext_lazy("Status"),
        gettext_lazy("Recorded"),
    ),
    "immunizations": (gettext_lazy("Vaccine"), gettext_lazy("Date"), gettext_lazy("Status")),
    "results": (
        gettext_lazy("Test"),
        gettext_lazy("Result"),
        gettext_lazy("Normal range"),
        gettext_lazy("Flag"),
        gettext_lazy("Date"),
    ),
    "vitals": (gettext_lazy("Measurement"), gettext_lazy("Value"), gettext_lazy("Date")),
    "procedures": (gettext_lazy("Procedure"), gettext_lazy("Date"), gettext_lazy("Status")),
    "visits": (
        gettext_lazy("Visit"),
        gettext_lazy("Date"),
        gettext_lazy("Clinician"),
        gettext_lazy("Reason"),
    ),
    "notes": (gettext_lazy("Document"), gettext_lazy("Date"), gettext_lazy("Written by")),
}


@dataclass(frozen=True)
class PrintRow:
    cells: tuple[str, ...]
    # A result outside its normal range: the page shows the row in bold as well as the flag.
    is_flagged: bool = False


@dataclass(frozen=True)
class PrintSection:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[PrintRow, ...]


@dataclass(frozen=True)
class PrintableSummary:
    """The summary's sections in the record's order; empty ones say so on the page."""

    sections: tuple[PrintSection, ...] = field(default_factory=tuple)


def rows_by_section(scope: RecordScope, selection: Selection) -> dict[str, list[ClinicalResource]]:
    """The chosen rows (index columns only, newest first), grouped by section name."""
    rows = (
        selected_resources(scope, selection)
        .only(*INDEX_COLUMNS)
        .order_by(F("effective_at").desc(nulls_last=True), "pk")
    )
    grouped: dict[str, list[ClinicalResource]] = defaultdict(list)
    for row in rows.iterator(chunk_size=500):
        grouped[section_of(row)].append(row)
    return grouped


def build_summary(scope: RecordScope, selection: Selection) -> PrintableSummary:
    """The summary of the chosen sections and dates, in one query.

    Privacy rule: reads only what the viewer's scope lets them see (see `selected_resources`);
    sections of parts of the record they may not see are left out, headings included.
    """
    zone = ZoneInfo(scope.patient.clinic.time_zone)
    grouped = rows_by_section(scope, selection)
    return PrintableSummary(
        sections=tuple(
            section_table(section.name, grouped.get(section.name, []), zone)
            for section in permitted_sections(scope, selection)
        )
    )


def section_table(name: str, rows: Iterable[ClinicalResource], zone: ZoneInfo) -> PrintSection:
    """One section's table: its title, its column headings, and a row per resource."""
    build = ROW_BUILDERS[name]
    return PrintSection(
        name=name,
        title=str(SECTIONS_BY_NAME[name].label),
        columns=tuple(str(column) for column in COLUMNS[name]),
        rows=tuple(build(row, zone) for row in rows if name != "results" or _is_result(row)),
    )


def _is_result(row: ClinicalResource) -> bool:
    # Reports group results; their tests are listed one by one, so the report adds no row.
    return row.resource_type == "Observation"


def day_text(moment: datetime.datetime | None, zone: ZoneInfo) -> str:
    """The day (see `calendar_day`) in the reader's date format, or "" when it is unknown."""
    day = calendar_day(moment, zone)
    return formats.date_format(day, "DATE_FORMAT") if day is not None else ""


def status_text(code: str) -> str:
    words = STATUSES.get(code)
    return str(words) if words is not None else code.replace("-", " ").capitalize()


def number_text(value: float) -> str:
    """7.2 as "7.2" and 128.0 as "128": no exponent, no trailing zeros."""
    return format(Decimal(repr(value)).normalize(), "f")


def value_text(row: ClinicalResource) -> str:
    """A measurement as people read it: "7.2 %", "128/82 mm[Hg]", or the result's words."""
    if row.components:
        numbers = [item.get("value") for item in row.components]
        units = {item.get("unit") or "" for item in row.components}
        if all(isinstance(number, int | float) for number in numbers) and len(units) == 1:
            joined = "/".join(number_text(float(number)) for number in numbers)
            return f"{joined} {units.pop()}".strip()
    if row.value_numeric is not None:
        return f"{number_text(row.value_numeric)} {row.value_unit}".strip()
    return row.value_text


def name_text(row: ClinicalResource) -> str:
    return row.code_display or _("Not named")


def _problem(row: ClinicalResource, zone: ZoneInfo) -> PrintRow:
    return PrintRow(
        (
            name_text(row),
            status_text(row.clinical_status),
            day_text(row.effective_at, zone),
            day_text(row.effective_end, zone),
        )
    )


def _medication(row: ClinicalResource, zone: ZoneInfo) -> PrintRow:
    return PrintRow(
        (
            name_text(row),
            row.detail,
            status_text(row.clinical_status or row.status),
            day_text(row.effective_at, zone),
            row.performer,
        )
    )


def _allergy(row: ClinicalResource, zone: ZoneInfo) -> PrintRow:
    return PrintRow(
        (
            name_text(row),
            row.detail,
            status_text(row.clinical_status),
            day_text(row.effective_at, zone),
        )
    )


def _dated(row: ClinicalResource, zone: ZoneInfo) -> PrintRow:
    return PrintRow((name_text(row), day_text(row.effective_at, zone), status_text(row.status)))


def _result(row: ClinicalResource, zone: ZoneInfo) -> PrintRow:
    flag = FLAGS.get(row.interpretation)
    return PrintRow(
        (
            name_text(row),
            value_text(row),
            row.reference_text,
            str(flag) if flag is not None else "",
            day_text(row.effective_at, zone),
        ),
        is_flagged=row.is_abnormal,
    )


def _vital(row: ClinicalResource, zone: ZoneInfo) -> PrintRow:
    return PrintRow((name_text(row), value_text(row), day_text(row.effective_at, zone)))


def _visit(row: ClinicalResource, zone: ZoneInfo) -> PrintRow:
    return PrintRow(
        (
            row.code_display or _("Visit"),
            day_text(row.effective_at, zone),
            row.performer,
            row.detail,
        )
    )


def _note(row: ClinicalResource, zone: ZoneInfo) -> PrintRow:
    return PrintRow(
        (row.code_display or _("Document"), day_text(row.effective_at, zone), row.performer)
    )


ROW_BUILDERS = {
    "problems": _problem,
    "medications": _medication,
    "allergies": _allergy,
    "immunizations": _dated,
    "results": _result,
    "vitals": _vital,
    "procedures": _dated,
    "visits": _visit,
    "notes": _note,
}
