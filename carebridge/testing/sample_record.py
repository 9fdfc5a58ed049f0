"""Pat's and Sam's sample health record: one resource of every kind the record pages show.

`build_sample_record(patient)` stores them through the real service, dated relative to
`today`, and returns them by name so tests can assert on exact values.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from typing import Any

from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.testing.records import (
    CVX,
    LOINC,
    NOTE_TEXT,
    RXNORM,
    SNOMED,
    at,
    blood_pressure,
    category,
    coded,
    hba1c,
    in_visit,
    lab_observation,
    next_id,
    store,
    subject,
    vital,
)


@dataclass
class SampleRecord:
    """One of each kind of resource, for one patient (see `build_sample_record`)."""

    hba1c: ClinicalResource  # 7.2 % (range 4 to 5.6): high, new (dated yesterday)
    hemoglobin: ClinicalResource  # 13.5 g/dL (range 12 to 15.5): normal, new
    old_hba1c: ClinicalResource  # 6.1 % two years ago: high, not new (history)
    report: ClinicalResource  # DiagnosticReport grouping hba1c and hemoglobin
    blood_pressure: ClinicalResource  # 128/82 mm[Hg], a month ago
    weight: ClinicalResource  # 72.5 kg, a month ago
    encounter: ClinicalResource  # a check-up a month ago
    condition: ClinicalResource  # hypertension, active
    resolved_condition: ClinicalResource  # acute bronchitis, resolved
    medication: ClinicalResource  # lisinopril 10 mg, active
    past_medication: ClinicalResource  # amoxicillin, completed
    allergy: ClinicalResource  # penicillin: hives (moderate)
    immunization: ClinicalResource  # influenza vaccine last autumn
    procedure: ClinicalResource  # colonoscopy
    note: ClinicalResource  # progress note for the encounter
    care_team: ClinicalResource
    care_plan: ClinicalResource
    goal: ClinicalResource


def build_sample_record(patient: Patient, today: datetime.date | None = None) -> SampleRecord:
    today = today or datetime.date.today()
    ago = today - datetime.timedelta(days=30)
    encounter_id = next_id("enc")
    recent_hba1c = hba1c(patient, today - datetime.timedelta(days=1), 7.2, interpretation="H")
    hemoglobin = lab_observation(
        patient,
        code="718-7",
        display="Hemoglobin",
        value=13.5,
        unit="g/dL",
        low=12.0,
        high=15.5,
        day=today - datetime.timedelta(days=1),
    )
    old_hba1c = hba1c(patient, today - datetime.timedelta(days=730), 6.1, interpretation="H")
    rows = store(
        patient,
        recent_hba1c,
        hemoglobin,
        old_hba1c,
        _report(patient, [recent_hba1c, hemoglobin], today - datetime.timedelta(days=1)),
        blood_pressure(patient, systolic=128, diastolic=82, day=ago) | in_visit(encounter_id),
        vital(patient, code="29463-7", display="Body weight", value=72.5, unit="kg", day=ago),
        _encounter(patient, encounter_id, ago),
        _condition(
            patient, "38341003", "Hypertension", "active", today.replace(year=today.year - 5)
        ),
        _condition(
            patient, "10509002", "Acute bronchitis", "resolved", today.replace(year=today.year - 3)
        ),
        _medication(
            patient,
            "314076",
            "Lisinopril 10 MG Oral Tablet",
            "active",
            "Take 1 tablet by mouth once a day",
            ago,
        ),
        _medication(
            patient,
            "308182",
            "Amoxicillin 250 MG Oral Capsule",
            "completed",
            "Take 1 capsule by mouth 3 times a day for 7 days",
            today.replace(year=today.year - 3),
        ),
        _allergy(patient),
        _immunization(patient, today.replace(year=today.year - 1, month=10, day=15)),
        _procedure(patient, today.replace(year=today.year - 4)),
        _note(patient, encounter_id, ago),
        _care_team(patient),
        _care_plan(patient, ago),
        _goal(patient, ago),
    )
    return SampleRecord(*rows)


def _report(patient: Patient, results: list[dict[str, Any]], day: datetime.date) -> dict[str, Any]:
    return {
        "resourceType": "DiagnosticReport",
        "id": next_id("report"),
        "status": "final",
        "category": category("LAB", "http://terminology.hl7.org/CodeSystem/v2-0074"),
        "code": coded(LOINC, "24323-8", "Comprehensive metabolic panel"),
        "subject": subject(patient),
        "effectiveDateTime": at(day),
        "issued": at(day, 15),
        "performer": [{"reference": "Practitioner/dr-chen", "display": "Maya Chen, MD"}],
        "result": [{"reference": f"Observation/{result['id']}"} for result in results],
    }


def _encounter(patient: Patient, encounter_id: str, day: datetime.date) -> dict[str, Any]:
    return {
        "resourceType": "Encounter",
        "id": encounter_id,
        "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "type": [coded(SNOMED, "185349003", "Check-up")],
        "subject": subject(patient),
        "participant": [
            {"individual": {"reference": "Practitioner/dr-chen", "display": "Maya Chen, MD"}}
        ],
        "period": {"start": at(day), "end": at(day, 10)},
        "reasonCode": [{"text": "Yearly check-up"}],
    }


def _condition(
    patient: Patient, code: str, display: str, status: str, onset: datetime.date
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "id": next_id("cond"),
        "clinicalStatus": coded(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", status, status
        ),
        "category": category(
            "problem-list-item", "http://terminology.hl7.org/CodeSystem/condition-category"
        ),
        "code": coded(SNOMED, code, display),
        "subject": subject(patient),
        "onsetDateTime": onset.isoformat(),
    }
    if status == "resolved":
        resource["abatementDateTime"] = (onset + datetime.timedelta(days=21)).isoformat()
    return resource


def _medication(
    patient: Patient, code: str, display: str, status: str, instructions: str, day: datetime.date
) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": next_id("med"),
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": coded(RXNORM, code, display),
        "subject": subject(patient),
        "authoredOn": day.isoformat(),
        "requester": {"reference": "Practitioner/dr-chen", "display": "Maya Chen, MD"},
        "dosageInstruction": [{"text": instructions}],
    }


def _allergy(patient: Patient) -> dict[str, Any]:
    return {
        "resourceType": "AllergyIntolerance",
        "id": next_id("allergy"),
        "clinicalStatus": coded(
            "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active"
        ),
        "category": ["medication"],
        "criticality": "high",
        "code": coded(RXNORM, "7980", "Penicillin"),
        "patient": subject(patient),
        "recordedDate": "2015-06-01",
        "reaction": [
            {"manifestation": [coded(SNOMED, "247472004", "Hives")], "severity": "moderate"}
        ],
    }


def _immunization(patient: Patient, day: datetime.date) -> dict[str, Any]:
    return {
        "resourceType": "Immunization",
        "id": next_id("imm"),
        "status": "completed",
        "vaccineCode": coded(CVX, "140", "Influenza, seasonal, injectable"),
        "patient": subject(patient),
        "occurrenceDateTime": day.isoformat(),
        "lotNumber": "FLU-2291",
    }


def _procedure(patient: Patient, day: datetime.date) -> dict[str, Any]:
    return {
        "resourceType": "Procedure",
        "id": next_id("proc"),
        "status": "completed",
        "code": coded(SNOMED, "73761001", "Colonoscopy"),
        "subject": subject(patient),
        "performedDateTime": day.isoformat(),
    }


def _note(patient: Patient, encounter_id: str, day: datetime.date) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "id": next_id("doc"),
        "status": "current",
        "type": coded(LOINC, "11506-3", "Progress note"),
        "category": [
            coded(
                "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
                "clinical-note",
                "Clinical Note",
            )
        ],
        "subject": subject(patient),
        "date": at(day, 11),
        "author": [{"reference": "Practitioner/dr-chen", "display": "Maya Chen, MD"}],
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain",
                    "data": base64.b64encode(NOTE_TEXT.encode()).decode(),
                }
            }
        ],
        "context": {"encounter": [{"reference": f"Encounter/{encounter_id}"}]},
    }


def _care_team(patient: Patient) -> dict[str, Any]:
    return {
        "resourceType": "CareTeam",
        "id": next_id("team"),
        "status": "active",
        "name": "Primary care team",
        "subject": subject(patient),
        "participant": [
            {
                "role": [coded(SNOMED, "446050000", "Primary care physician")],
                "member": {"reference": "Practitioner/dr-chen", "display": "Maya Chen, MD"},
            }
        ],
    }


def _care_plan(patient: Patient, day: datetime.date) -> dict[str, Any]:
    return {
        "resourceType": "CarePlan",
        "id": next_id("plan"),
        "status": "active",
        "intent": "plan",
        "category": [coded(SNOMED, "736285004", "Hypertension clinical management plan")],
        "subject": subject(patient),
        "period": {"start": day.isoformat()},
        "activity": [{"detail": {"status": "in-progress", "description": "Walk 30 minutes a day"}}],
    }


def _goal(patient: Patient, day: datetime.date) -> dict[str, Any]:
    return {
        "resourceType": "Goal",
        "id": next_id("goal"),
        "lifecycleStatus": "active",
        "description": {"text": "Blood pressure below 130/80"},
        "subject": subject(patient),
        "startDate": day.isoformat(),
    }
