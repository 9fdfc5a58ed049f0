"""Which part of the record an export holds: the sections the patient chose, and a date range.

Privacy rule: every read here starts from the `RecordScope` the access layer returned, and keeps
only what it lets the viewer see: released, not entered in error, not sensitive when the scope
hides it, and only the sections of the parts of the record the viewer may see. Dates are days in the
clinic's time zone, both ends included; when a range is given, undated entries are left out,
because nobody can say whether they fall inside it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.records.models import RESULT_CATEGORIES, ClinicalResource, ResourceType

if TYPE_CHECKING:
    from carebridge.records.models import ClinicalResourceQuerySet
    from carebridge.records.scope import RecordScope

VITAL_SIGNS = "vital-signs"


@dataclass(frozen=True)
class Section:
    """One part of the record a patient can choose, and the resources that make it up."""

    name: str
    # Three letters for the audit trail, whose object ids are short.
    short: str
    label: Promise
    resource_types: tuple[str, ...]
    # For Observations: the categories that belong here (None: any category).
    categories: tuple[str, ...] | None = None

    def query(self) -> Q:
        """The rows of this section, as a filter on `ClinicalResource`."""
        if self.name == "results":
            # Reports group the results; they travel with them, whatever their category code.
            observations = Q(resource_type=ResourceType.OBSERVATION, category__in=RESULT_CATEGORIES)
            return observations | Q(resource_type=ResourceType.DIAGNOSTIC_REPORT)
        query = Q(resource_type__in=self.resource_types)
        if self.categories is not None:
            query &= Q(category__in=self.categories)
        return query

    @property
    def part(self) -> str:
        """The part of the record (see `proxies.acting.RECORD_PARTS`) this section shows."""
        return "documents" if self.name == "notes" else self.name


SECTIONS: tuple[Section, ...] = (
    Section("problems", "prb", _("Health problems"), (ResourceType.CONDITION,)),
    Section(
        "medications",
        "med",
        _("Medications"),
        (ResourceType.MEDICATION_REQUEST, ResourceType.MEDICATION_STATEMENT),
    ),
    Section("allergies", "alg", _("Allergies"), (ResourceType.ALLERGY,)),
    Section("immunizations", "imm", _("Immunizations"), (ResourceType.IMMUNIZATION,)),
    Section(
        "results",
        "res",
        _("Test results"),
        (ResourceType.OBSERVATION, ResourceType.DIAGNOSTIC_REPORT),
        RESULT_CATEGORIES,
    ),
    Section("vitals", "vit", _("Vital signs"), (ResourceType.OBSERVATION,), (VITAL_SIGNS,)),
    Section("procedures", "prc", _("Procedures"), (ResourceType.PROCEDURE,)),
    Section("visits", "vis", _("Visits"), (ResourceType.ENCOUNTER,)),
    Section("notes", "doc", _("Documents and notes"), (ResourceType.DOCUMENT_REFERENCE,)),
)
SECTIONS_BY_NAME = {section.name: section for section in SECTIONS}


@dataclass(frozen=True)
class Selection:
    """What the patient chose. No sections means everything in the record."""

    sections: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def is_everything(self) -> bool:
        return not self.sections

    @property
    def has_dates(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    def includes(self, section: str) -> bool:
        return self.is_everything or section in self.sections

    def chosen_sections(self) -> tuple[Section, ...]:
        """The chosen sections in the record's own order (all of them for everything)."""
        return tuple(section for section in SECTIONS if self.includes(section.name))

    def describe(self) -> str:
        """A short label for the audit trail, "prb,res 20240101-20241231": which sections and
        dates, never any content (at most 53 characters)."""
        shorts = ",".join(SECTIONS_BY_NAME[name].short for name in self.sections)
        parts = [shorts or "all"]
        if self.has_dates:
            start, end = (day.strftime("%Y%m%d") if day else "" for day in self._dates())
            parts.append(f"{start}-{end}")
        return " ".join(parts)

    def _dates(self) -> tuple[datetime.date | None, datetime.date | None]:
        return self.date_from, self.date_to

    def query_string(self) -> str:
        """The selection as the download form's query parameters (no health information)."""
        params: list[tuple[str, str]] = [("include", "all" if self.is_everything else "chosen")]
        params += [("sections", name) for name in self.sections]
        if self.date_from:
            params.append(("date_from", self.date_from.isoformat()))
        if self.date_to:
            params.append(("date_to", self.date_to.isoformat()))
        return urlencode(params)


def is_date_only(moment: datetime.datetime) -> bool:
    """Whether a stored instant stands for a plain date: FHIR dates are stored at 00:00 UTC."""
    return moment.astimezone(datetime.UTC).time() == datetime.time(0)


def calendar_day(moment: datetime.datetime | None, zone: ZoneInfo) -> datetime.date | None:
    """The day something happened: a plain date as written, an instant in the clinic's zone."""
    if moment is None:
        return None
    if is_date_only(moment):
        return moment.astimezone(datetime.UTC).date()
    return moment.astimezone(zone).date()


def _start_of(day: datetime.date, zone: ZoneInfo | datetime.timezone) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


def day_bounds(
    selection: Selection, zone: ZoneInfo
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """The range as instants: from the start of `date_from` to before the day after `date_to`.

    Each bound is the wider of the clinic-zone day and the UTC day, so plain dates (stored at
    00:00 UTC) on the first and last day are always in; an instant a few hours outside the
    range, on the far side of UTC, may be in too.
    """
    start = end = None
    if selection.date_from is not None:
        day = selection.date_from
        start = min(_start_of(day, zone), _start_of(day, datetime.UTC))
    if selection.date_to is not None:
        day = selection.date_to + datetime.timedelta(days=1)
        end = max(_start_of(day, zone), _start_of(day, datetime.UTC))
    return start, end


def permitted_sections(scope: RecordScope, selection: Selection) -> tuple[Section, ...]:
    """The chosen sections the viewer may see, in the record's order."""
    return tuple(section for section in selection.chosen_sections() if scope.may_see(section.part))


def selected_resources(scope: RecordScope, selection: Selection) -> ClinicalResourceQuerySet:
    """The visible resources in the chosen sections and dates (not yet ordered).

    Everything means every resource type the record holds for the patient (care plans, claims
    and the rest too), except the Patient resource itself, which exports add on their own; for
    a viewer limited to some parts of the record, it means those parts' sections only.
    """
    rows = scope.resources().exclude(resource_type=ResourceType.PATIENT)
    if not selection.is_everything or scope.parts is not None:
        sections = permitted_sections(scope, selection)
        if not sections:
            return rows.none()
        wanted = Q()
        for section in sections:
            wanted |= section.query()
        rows = rows.filter(wanted)
    start, end = day_bounds(selection, ZoneInfo(scope.patient.clinic.time_zone))
    if start is not None:
        rows = rows.filter(effective_at__gte=start)
    if end is not None:
        rows = rows.filter(effective_at__lt=end)
    return rows


def section_of(row: ClinicalResource) -> str:
    """The name of the section a row belongs to, or "" for kinds no section shows."""
    if row.resource_type == ResourceType.OBSERVATION:
        if row.category in RESULT_CATEGORIES:
            return "results"
        return "vitals" if row.category == VITAL_SIGNS else ""
    for section in SECTIONS:
        if section.name != "vitals" and row.resource_type in section.resource_types:
            return section.name
    return ""
