"""Results a clinic holds for clinician review, for the staff console's release page.

Privacy rule: only the staff member's own clinic's results (the caller passes
`request.acting.staff.clinic`, never a clinic from the request). Staff may see values.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from carebridge.clinic.models import Clinic
from carebridge.records.models import (
    ClinicalResource,
    ClinicalResourceQuerySet,
    Release,
    ResourceType,
)
from carebridge.records.selectors.results import observation_ids
from carebridge.records.selectors.wording import calendar_day, number_words, unit_words
from carebridge.records.services import RESULT_TYPES


@dataclass(frozen=True)
class HeldRow:
    pk: int
    patient_name: str
    mrn: str
    name: str
    is_report: bool
    value: str
    range_text: str
    flag: str
    day: datetime.date | None


def list_held_results(clinic: Clinic) -> ClinicalResourceQuerySet:
    """The clinic's held results and reports, waiting longest first (index columns only)."""
    return (
        ClinicalResource.objects.filter(
            clinic=clinic,
            release=Release.HELD,
            resource_type__in=RESULT_TYPES,
            patient__isnull=False,
        )
        .exclude(status="entered-in-error")
        .without_json()
        .select_related("patient")
        .order_by("created_at", "pk")
    )


def held_rows(rows: Iterable[ClinicalResource], zone: ZoneInfo) -> list[HeldRow]:
    return [_held_row(row, zone) for row in rows]


def _held_row(row: ClinicalResource, zone: ZoneInfo) -> HeldRow:
    assert row.patient is not None
    if row.value_numeric is not None:
        value = f"{number_words(row.value_numeric)} {unit_words(row.value_unit)}".strip()
    else:
        value = row.value_text
    return HeldRow(
        pk=row.pk,
        patient_name=row.patient.display_name,
        mrn=row.patient.mrn,
        name=row.code_display,
        is_report=row.resource_type == ResourceType.DIAGNOSTIC_REPORT,
        value=value,
        range_text=row.reference_text,
        flag=row.interpretation,
        day=calendar_day(row.effective_at, zone),
    )


def with_report_results(clinic: Clinic, resource_ids: Sequence[int]) -> list[int]:
    """The chosen ids, plus the held results of any chosen report.

    One query, and one more for each patient whose report was chosen.

    Releasing a report releases what it groups, so the patient never sees a report whose
    results are still hidden.
    """
    reports = ClinicalResource.objects.filter(
        clinic=clinic,
        pk__in=resource_ids,
        release=Release.HELD,
        resource_type=ResourceType.DIAGNOSTIC_REPORT,
    ).values_list("patient_id", "resource__result")
    members: dict[uuid.UUID, list[str]] = {}
    for owner, references in reports:
        members.setdefault(owner, []).extend(observation_ids(references))
    ids = list(resource_ids)
    for owner, fhir_ids in members.items():
        ids += ClinicalResource.objects.filter(
            clinic=clinic,
            patient_id=owner,
            resource_type=ResourceType.OBSERVATION,
            fhir_id__in=fhir_ids,
            release=Release.HELD,
        ).values_list("pk", flat=True)
    return ids


def get_clinic_result(clinic: Clinic, resource_id: int) -> ClinicalResource | None:
    """One of the clinic's results or reports of a patient (held or released), or None."""
    return (
        ClinicalResource.objects.filter(
            clinic=clinic, pk=resource_id, resource_type__in=RESULT_TYPES, patient__isnull=False
        )
        .exclude(status="entered-in-error")
        .select_related("patient")
        .first()
    )


def held_report_rows(clinic: Clinic, report: ClinicalResource, zone: ZoneInfo) -> list[HeldRow]:
    """A held report's own results that are still held (those its release releases too), in
    the report's order (one query)."""
    assert report.patient is not None
    ids = observation_ids(report.resource.get("result"))
    found = {
        row.fhir_id: row
        for row in ClinicalResource.objects.filter(
            clinic=clinic,
            patient=report.patient,
            resource_type=ResourceType.OBSERVATION,
            fhir_id__in=ids,
            release=Release.HELD,
        )
        .without_json()
        .select_related("patient")
    }
    return [_held_row(found[fhir_id], zone) for fhir_id in dict.fromkeys(ids) if fhir_id in found]
