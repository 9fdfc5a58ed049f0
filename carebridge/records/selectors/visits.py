"""Reads for visits: the list of visits, and one visit's summary.

Privacy rule: every selector takes the viewer's `RecordScope` (from `access_record` or
`access_resource`) and reads only the resources it lets them see: released, not entered in
error, and not sensitive when the scope hides them, so a result held for clinician review does
not appear in a visit's summary either. A visit's blocks of parts of the record the viewer may
not see (its results or notes, say) are left out too.

A visit's summary is built from a fixed number of queries, whatever the size of the record: the
Encounter itself (loaded by `access_resource`), the index columns of everything recorded at the
visit, the Conditions the Encounter names as its diagnoses, and the JSON of that visit's notes,
instructions and care plans only.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from carebridge.records.indexing.elements import mappings
from carebridge.records.measures import to_us_customary, uses_us_customary
from carebridge.records.models import RESULT_CATEGORIES, ClinicalResource, ResourceType
from carebridge.records.selectors import wording
from carebridge.records.selectors.attachments import AttachmentText
from carebridge.records.selectors.care import plan_activities, plan_title
from carebridge.records.selectors.documents import readable_text, with_time
from carebridge.records.selectors.sections import (
    MedicationRow,
    ProcedureRow,
    RowPage,
    page_of,
    verified,
    visible_of_types,
    visible_rows,
    with_verification,
)
from carebridge.records.selectors.wording import calendar_day, clinic_zone, words_for

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from carebridge.records.scope import RecordScope

VISITS_PER_PAGE = 25
# LOINC "Patient instructions": such a document is shown as the visit's instructions.
INSTRUCTIONS = "69730-0"
SERVICE_REQUEST = "ServiceRequest"


@dataclass(frozen=True)
class VisitRow:
    pk: int
    visited_on: datetime.date | None
    kind: str
    reason: str
    clinician: str
    location: str
    status: str
    is_finished: bool


def list_visits(scope: RecordScope, page_number: str | None) -> RowPage[VisitRow]:
    """Visits, newest first, one page at a time (two queries: the count and the page)."""
    zone = clinic_zone(scope.patient)

    def to_row(row: Any) -> VisitRow:
        return VisitRow(
            pk=row.pk,
            visited_on=calendar_day(row.effective_at, zone),
            kind=row.code_display or _("Visit"),
            reason=row.detail,
            clinician=row.performer,
            location=row.location or "",
            status=words_for(wording.ENCOUNTER_STATUS, row.status),
            is_finished=row.status == "finished",
        )

    rows = (
        visible_of_types(scope, ResourceType.ENCOUNTER)
        .newest_first()
        .annotate(location=KT("resource__location__0__location__display"))
    )
    return page_of(rows, page_number, VISITS_PER_PAGE, to_row)


@dataclass(frozen=True)
class DiagnosisRow:
    name: str
    status: str


@dataclass(frozen=True)
class MeasurementRow:
    """A vital sign or a test result, with its value in words."""

    pk: int
    name: str
    value: str
    normal_range: str = ""
    flag: str = ""
    is_report: bool = False


@dataclass(frozen=True)
class OrderRow:
    name: str
    status: str
    ordered_on: datetime.date | None
    ordered_by: str


@dataclass(frozen=True)
class InstructionRow:
    """Instructions given at the visit: a document's text, or a care plan and its activities."""

    title: str
    document_pk: int | None = None
    text: AttachmentText | None = None
    activities: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NoteRow:
    pk: int
    title: str
    author: str
    written_on: datetime.date | None
    text: AttachmentText | None


@dataclass
class VisitDetail:
    pk: int
    kind: str
    visited_on: datetime.date | None
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    status: str
    reasons: list[str]
    clinicians: list[str]
    locations: list[str]
    diagnoses: list[DiagnosisRow] = field(default_factory=list)
    vitals: list[MeasurementRow] = field(default_factory=list)
    results: list[MeasurementRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    medications: list[MedicationRow] = field(default_factory=list)
    procedures: list[ProcedureRow] = field(default_factory=list)
    instructions: list[InstructionRow] = field(default_factory=list)
    notes: list[NoteRow] = field(default_factory=list)


def get_visit(scope: RecordScope, encounter: ClinicalResource) -> VisitDetail:
    """One visit's summary (the Encounter already checked by `access_resource`).

    Three queries at most: what was recorded at the visit, the diagnoses the Encounter names,
    and the JSON of the visit's notes and instructions.
    """
    zone = clinic_zone(scope.patient)
    resource = encounter.resource
    period = resource.get("period") if isinstance(resource.get("period"), Mapping) else {}
    visit = VisitDetail(
        pk=encounter.pk,
        kind=encounter.code_display or _("Visit"),
        visited_on=calendar_day(encounter.effective_at, zone),
        starts_at=with_time(encounter.effective_at),
        ends_at=with_time(encounter.effective_end) if period.get("end") else None,
        status=words_for(wording.ENCOUNTER_STATUS, encounter.status),
        reasons=_reasons(resource),
        clinicians=_texts(item.get("individual") for item in mappings(resource.get("participant"))),
        locations=_texts(item.get("location") for item in mappings(resource.get("location"))),
    )
    recorded = verified(
        with_verification(visible_rows(scope).filter(encounter_id=encounter.fhir_id)).newest_first()
    )
    recorded = [row for row in recorded if scope.may_see(part_of(row))]
    if scope.may_see("problems"):
        visit.diagnoses = _diagnoses(scope, resource, recorded)
    _sort_recorded(visit, recorded, zone, us_customary=uses_us_customary(scope.patient.clinic))
    _add_documents(visit, recorded, zone)
    return visit


# The part of the record (see `proxies.acting.RECORD_PARTS`) each kind of row belongs to.
PART_OF_TYPE = {
    ResourceType.DIAGNOSTIC_REPORT: "results",
    SERVICE_REQUEST: "results",
    ResourceType.MEDICATION_REQUEST: "medications",
    ResourceType.PROCEDURE: "procedures",
    ResourceType.CONDITION: "problems",
    ResourceType.DOCUMENT_REFERENCE: "documents",
    ResourceType.CARE_PLAN: "care_plans",
}


def part_of(row: ClinicalResource) -> str:
    """Which part of the record a row recorded at a visit belongs to."""
    if row.resource_type == ResourceType.OBSERVATION:
        return "vitals" if row.category == "vital-signs" else "results"
    return PART_OF_TYPE.get(row.resource_type, "visits")


def _texts(values: Any) -> list[str]:
    texts = [wording.reference_text(value) for value in values]
    return [text for text in texts if text]


def _reasons(resource: Mapping[str, Any]) -> list[str]:
    reasons = [wording.concept_text(concept) for concept in mappings(resource.get("reasonCode"))]
    reasons += _texts(mappings(resource.get("reasonReference")))
    return [reason for reason in reasons if reason]


def _diagnoses(
    scope: RecordScope, resource: Mapping[str, Any], recorded: list[ClinicalResource]
) -> list[DiagnosisRow]:
    """The Encounter's own diagnosis list first, then other Conditions recorded at the visit.

    A diagnosis the Encounter names but the patient may not see (entered in error, say) is
    left out, its display text included.
    """
    references = [item.get("condition") for item in mappings(resource.get("diagnosis"))]
    named = [ref for ref in references if isinstance(ref, Mapping)]
    here = [row for row in recorded if row.resource_type == ResourceType.CONDITION]
    found = {row.fhir_id: row for row in here}
    missing = {_condition_id(ref) for ref in named} - set(found) - {""}
    if missing:
        rows = visible_of_types(scope, ResourceType.CONDITION).filter(fhir_id__in=missing)
        found |= {row.fhir_id: row for row in verified(with_verification(rows))}
    diagnoses: list[DiagnosisRow] = []
    shown: set[str] = set()
    for ref in named:
        fhir_id = _condition_id(ref)
        if fhir_id and fhir_id in found and fhir_id not in shown:
            shown.add(fhir_id)
            diagnoses.append(_diagnosis_row(found[fhir_id]))
        elif not fhir_id and ref.get("display"):
            # Named by its display text alone, with no Condition in the record behind it.
            diagnoses.append(DiagnosisRow(name=str(ref["display"]), status=""))
    diagnoses += [_diagnosis_row(row) for row in here if row.fhir_id not in shown]
    return diagnoses


def _condition_id(reference: Mapping[str, Any]) -> str:
    text = str(reference.get("reference") or "")
    return text.removeprefix("Condition/") if text.startswith("Condition/") else ""


def _diagnosis_row(row: ClinicalResource) -> DiagnosisRow:
    status = row.clinical_status
    return DiagnosisRow(
        name=row.code_display or _("Diagnosis not named"),
        status=words_for(wording.CONDITION_STATUS, status) if status else "",
    )


def _sort_recorded(
    visit: VisitDetail, recorded: list[ClinicalResource], zone: ZoneInfo, *, us_customary: bool
) -> None:
    """Put each row recorded at the visit in its block (documents and plans come later).
    Vital signs are in the clinic's units (`measures`)."""
    for row in recorded:
        kind = row.resource_type
        if kind == ResourceType.OBSERVATION and row.category == "vital-signs":
            visit.vitals.append(_measurement(row, us_customary=us_customary))
        elif kind == ResourceType.OBSERVATION and row.category in RESULT_CATEGORIES:
            visit.results.append(_measurement(row))
        elif kind == ResourceType.DIAGNOSTIC_REPORT:
            name = row.code_display or _("Test report")
            visit.results.append(MeasurementRow(pk=row.pk, name=name, value="", is_report=True))
        elif kind == SERVICE_REQUEST:
            visit.orders.append(_order(row, zone))
        elif kind == ResourceType.MEDICATION_REQUEST:
            visit.medications.append(_medication(row, zone))
        elif kind == ResourceType.PROCEDURE:
            visit.procedures.append(_procedure(row, zone))


def measurement_value(row: ClinicalResource) -> str:
    """ "128/82 mmHg", "72.5 kg", "Positive": an Observation's value in words."""
    parts = {part.get("code"): part for part in row.components or []}
    systolic, diastolic = parts.get(wording.SYSTOLIC), parts.get(wording.DIASTOLIC)
    if systolic and diastolic:
        top, bottom = systolic.get("value"), diastolic.get("value")
        unit = wording.unit_words(str(systolic.get("unit") or ""))
        return f"{wording.number_words(top)}/{wording.number_words(bottom)} {unit}".strip()
    if row.components:
        return "; ".join(
            f"{part.get('display', '')}: "
            f"{wording.quantity_words(part.get('value'), str(part.get('unit') or ''))}"
            for part in row.components
        )
    return wording.quantity_words(row.value_numeric, row.value_unit) or row.value_text


def _measurement(row: ClinicalResource, *, us_customary: bool = False) -> MeasurementRow:
    flag = ""
    if row.interpretation and row.interpretation != "N":
        flag = words_for(wording.INTERPRETATION, row.interpretation)
    return MeasurementRow(
        pk=row.pk,
        name=row.code_display or _("Measurement not named"),
        value=_converted(row, us_customary) or measurement_value(row) or _("No value recorded"),
        normal_range=row.reference_text,
        flag=flag,
    )


def _converted(row: ClinicalResource, us_customary: bool) -> str:
    # "154.3 lb (70 kg)": in US customary units with the recorded value beside, or "" when
    # the clinic shows metric or the unit has no US customary form.
    converted = None
    if us_customary and row.value_numeric is not None:
        converted = to_us_customary(row.value_numeric, row.value_unit)
    if converted is None:
        return ""
    number, unit = converted
    recorded = wording.quantity_words(row.value_numeric, row.value_unit)
    return f"{wording.quantity_words(number, unit)} ({recorded})"


def _order(row: ClinicalResource, zone: ZoneInfo) -> OrderRow:
    return OrderRow(
        name=row.code_display or _("Order not named"),
        status=words_for(wording.EVENT_STATUS, row.status),
        ordered_on=calendar_day(row.effective_at, zone),
        ordered_by=row.performer,
    )


def _medication(row: ClinicalResource, zone: ZoneInfo) -> MedicationRow:
    return MedicationRow(
        name=row.code_display or _("Medicine name not recorded"),
        instructions=row.detail,
        prescriber=row.performer,
        started=calendar_day(row.effective_at, zone),
        status=words_for(wording.MEDICATION_STATUS, row.clinical_status),
    )


def _procedure(row: ClinicalResource, zone: ZoneInfo) -> ProcedureRow:
    return ProcedureRow(
        name=row.code_display or _("Procedure name not recorded"),
        performed_on=calendar_day(row.effective_at, zone),
        status=words_for(wording.EVENT_STATUS, row.status),
        performer=row.performer,
    )


def _add_documents(visit: VisitDetail, recorded: list[ClinicalResource], zone: ZoneInfo) -> None:
    """The visit's notes and instructions, with the JSON of those few resources only."""
    wanted = (ResourceType.DOCUMENT_REFERENCE, ResourceType.CARE_PLAN)
    rows = [row for row in recorded if row.resource_type in wanted]
    if not rows:
        return
    # These rows came from the viewer's scope; only their JSON is read here.
    bodies = dict(
        ClinicalResource.objects.filter(pk__in=[row.pk for row in rows]).values_list(
            "pk", "resource"
        )
    )
    for row in rows:
        body = bodies.get(row.pk) or {}
        if row.resource_type == ResourceType.CARE_PLAN:
            visit.instructions.append(plan_instructions(row, body))
        elif row.code == INSTRUCTIONS:
            title = row.code_display or _("Instructions")
            text = readable_text(body)
            visit.instructions.append(InstructionRow(title=title, document_pk=row.pk, text=text))
        else:
            visit.notes.append(_note(row, body, zone))


def _note(row: ClinicalResource, body: Mapping[str, Any], zone: ZoneInfo) -> NoteRow:
    return NoteRow(
        pk=row.pk,
        title=row.code_display or _("Note"),
        author=row.performer,
        written_on=calendar_day(row.effective_at, zone),
        text=readable_text(body),
    )


def plan_instructions(row: ClinicalResource, body: Mapping[str, Any]) -> InstructionRow:
    return InstructionRow(title=plan_title(row, body), activities=plan_activities(body))
