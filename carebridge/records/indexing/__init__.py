"""Extract the columns pages query from a FHIR resource's JSON.

`index_columns(resource, display_for)` returns the values of `ClinicalResource`'s index columns.
It reads only what FHIR R4 defines and never fails on a resource the validator accepted: a
missing element gives an empty column. `display_for` turns a reference ("Practitioner/12") into
a name, so lists can say who ordered a test without loading the practitioner.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from carebridge.lib.dates import parse_fhir_datetime
from carebridge.records.indexing.appointments import appointment_columns
from carebridge.records.indexing.elements import (
    DisplayFor,
    Json,
    as_text,
    codeable,
    get_path,
    mappings,
    reference_id,
)
from carebridge.records.indexing.medications import (
    MEDICATION_USES,
    MedicationFor,
    medication_code,
    no_medication,
)
from carebridge.records.indexing.observations import observation_values
from carebridge.records.indexing.sensitivity import is_sensitive

__all__ = ["DisplayFor", "MedicationFor", "index_columns", "is_sensitive", "reference_id"]

# Category codes from HL7 v2 table 0074 (DiagnosticReport), named as the observation categories.
V2_0074_CATEGORIES = {
    "LAB": "laboratory",
    "HM": "laboratory",
    "CH": "laboratory",
    "MB": "laboratory",
    "SP": "pathology",
    "PAT": "pathology",
    "CP": "pathology",
    "RAD": "imaging",
    "CT": "imaging",
    "US": "imaging",
    "NMR": "imaging",
    "OUS": "imaging",
}

# Which element holds the code, the dates and the performer, by resource type.
CODE_ELEMENTS = {
    "Immunization": "vaccineCode",
    "Encounter": "type",
    "DocumentReference": "type",
    "Goal": "description",
    "CarePlan": "category",
    "Claim": "type",
    "ExplanationOfBenefit": "type",
}
START_ELEMENTS = {
    "Observation": ("effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued"),
    "DiagnosticReport": ("effectiveDateTime", "effectivePeriod", "issued"),
    "Condition": ("onsetDateTime", "onsetPeriod", "recordedDate"),
    "AllergyIntolerance": ("onsetDateTime", "recordedDate"),
    "MedicationRequest": ("authoredOn",),
    "MedicationStatement": ("effectiveDateTime", "effectivePeriod", "dateAsserted"),
    "Immunization": ("occurrenceDateTime",),
    "Procedure": ("performedDateTime", "performedPeriod"),
    "Encounter": ("period",),
    "DocumentReference": ("date", "context.period"),
    "CarePlan": ("period", "created"),
    "CareTeam": ("period",),
    "Goal": ("startDate", "statusDate"),
    "Claim": ("billablePeriod", "created"),
    "ExplanationOfBenefit": ("billablePeriod", "created"),
    "ImagingStudy": ("started",),
    "ServiceRequest": ("occurrenceDateTime", "authoredOn"),
    "Appointment": ("start",),
}
END_ELEMENTS = {
    "Condition": ("abatementDateTime", "abatementPeriod"),
    "Encounter": ("period",),
    "Procedure": ("performedPeriod",),
    "CarePlan": ("period",),
    "CareTeam": ("period",),
    "MedicationStatement": ("effectivePeriod",),
    "Appointment": ("end",),
}
PERFORMER_ELEMENTS = {
    "Observation": "performer",
    "DiagnosticReport": "performer",
    "MedicationRequest": "requester",
    "Immunization": "performer",
    "Procedure": "performer",
    "Encounter": "participant",
    "DocumentReference": "author",
    "AllergyIntolerance": "recorder",
    "Condition": "recorder",
    "ServiceRequest": "requester",
    "CarePlan": "author",
}


def index_columns(
    resource: Json, display_for: DisplayFor, medication_for: MedicationFor = no_medication
) -> dict[str, Any]:
    """The index columns of `ClinicalResource` for this resource; `medication_for` finds the
    stored Medication a `medicationReference` names."""
    resource_type = resource["resourceType"]
    if resource_type in MEDICATION_USES:
        code = medication_code(resource, medication_for)
    else:
        code = codeable(resource, CODE_ELEMENTS.get(resource_type, "code"))
    columns: dict[str, Any] = {
        "category": category_of(resource),
        "code_system": code.get("system", ""),
        "code": code.get("code", ""),
        "code_display": code.get("display", ""),
        "status": as_text(resource.get("status") or resource.get("lifecycleStatus")),
        "clinical_status": clinical_status_of(resource),
        "effective_at": first_date(resource, START_ELEMENTS.get(resource_type, ()), "start"),
        "effective_end": first_date(resource, END_ELEMENTS.get(resource_type, ()), "end"),
        "issued_at": parse_fhir_datetime(resource.get("issued")),
        "performer": performer_of(resource, display_for),
        "detail": detail_of(resource)[:500],
        "encounter_id": reference_id(
            get_path(resource, "encounter") or get_path(resource, "context.encounter")
        ),
        "is_sensitive": is_sensitive(resource),
    }
    if resource_type == "Observation":
        columns |= observation_values(resource)
    elif resource_type == "Appointment":
        columns |= appointment_columns(resource, display_for)
    return columns


def category_of(resource: Json) -> str:
    """The first category code, with HL7 v2 report sections named as observation categories."""
    for concept in mappings(resource.get("category") or resource.get("type")):
        for coding in mappings(concept.get("coding")):
            code = coding.get("code")
            if code:
                return V2_0074_CATEGORIES.get(code, as_text(code, 64))
    return ""


def clinical_status_of(resource: Json) -> str:
    concept = resource.get("clinicalStatus")
    if isinstance(concept, Mapping):
        for coding in mappings(concept.get("coding")):
            if coding.get("code"):
                return as_text(coding["code"], 32)
    if resource["resourceType"] in ("MedicationRequest", "MedicationStatement"):
        return as_text(resource.get("status"), 32)
    return ""


def first_date(resource: Json, elements: tuple[str, ...], edge: str) -> datetime.datetime | None:
    """The first of these elements that holds a date; for a Period, its start or end."""
    for element in elements:
        value = get_path(resource, element)
        if isinstance(value, Mapping):
            value = value.get(edge)
        parsed = parse_fhir_datetime(value)
        if parsed is not None:
            return parsed
    return None


def performer_of(resource: Json, display_for: DisplayFor) -> str:
    element = PERFORMER_ELEMENTS.get(resource["resourceType"])
    value = resource.get(element) if element else None
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Mapping):
        # Encounter.participant.individual and Procedure.performer.actor wrap the reference.
        value = value.get("individual") or value.get("actor") or value
    return as_text(display_for(value)) if isinstance(value, Mapping) else ""


def detail_of(resource: Json) -> str:
    """One line the list pages show under the name (dosage, reaction, reason)."""
    resource_type = resource["resourceType"]
    if resource_type in ("MedicationRequest", "MedicationStatement"):
        dosage = get_path(resource, "dosageInstruction") or get_path(resource, "dosage")
        dosage = dosage[0] if isinstance(dosage, list) and dosage else dosage
        return as_text(dosage.get("text")) if isinstance(dosage, Mapping) else ""
    if resource_type == "AllergyIntolerance":
        return allergy_detail(resource)
    for element in ("reasonCode", "description", "note"):
        value = get_path(resource, element)
        value = value[0] if isinstance(value, list) and value else value
        if isinstance(value, Mapping):
            value = value.get("text") or get_path(value, "coding.display")
        if isinstance(value, str) and value:
            return value
    return ""


def allergy_detail(resource: Json) -> str:
    """ "hives (moderate)": the first reaction's manifestations and its severity."""
    reaction = get_path(resource, "reaction")
    reaction = reaction[0] if isinstance(reaction, list) and reaction else reaction
    if not isinstance(reaction, Mapping):
        return ""
    names = [
        concept.get("text") or get_path(concept, "coding.display") or ""
        for concept in mappings(reaction.get("manifestation"))
    ]
    text = ", ".join(name for name in names if name)
    severity = reaction.get("severity")
    return f"{text} ({severity})" if text and severity else text
