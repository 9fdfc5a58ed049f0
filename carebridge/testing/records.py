"""Clinical-record builders for tests: valid FHIR R4 resources, stored through the real service.

`build_sample_record(patient)` gives a patient one resource of every kind the record pages show,
dated relative to `today`, and returns them by name so tests can assert on exact values.
"""

from __future__ import annotations

import base64
import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.records.services import store_resources

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
CVX = "http://hl7.org/fhir/sid/cvx"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
# What the sample record's progress note says.
NOTE_TEXT = "Blood pressure a little high today. Keep taking lisinopril; recheck in 3 months."
_ids = itertools.count(1)


def next_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def coded(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def category(code: str, system: str = OBSERVATION_CATEGORY) -> list[dict[str, Any]]:
    return [{"coding": [{"system": system, "code": code}]}]


def subject(patient: Patient) -> dict[str, str]:
    return {"reference": f"Patient/{patient.pk}"}


def at(day: datetime.date, hour: int = 9) -> str:
    return datetime.datetime.combine(day, datetime.time(hour), datetime.UTC).isoformat()


def quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def lab_observation(
    patient: Patient,
    *,
    code: str,
    display: str,
    value: float,
    unit: str,
    low: float | None,
    high: float | None,
    day: datetime.date,
    interpretation: str = "",
    **extra: Any,
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": next_id("obs"),
        "status": "final",
        "category": category("laboratory"),
        "code": coded(LOINC, code, display),
        "subject": subject(patient),
        "effectiveDateTime": at(day),
        "issued": at(day, 15),
        "valueQuantity": quantity(value, unit),
        "performer": [{"reference": "Practitioner/dr-chen", "display": "Maya Chen, MD"}],
    }
    ref_range: dict[str, Any] = {}
    if low is not None:
        ref_range["low"] = quantity(low, unit)
    if high is not None:
        ref_range["high"] = quantity(high, unit)
    if ref_range:
        resource["referenceRange"] = [ref_range]
    if interpretation:
        resource["interpretation"] = [coded(INTERPRETATION, interpretation, interpretation)]
    return resource | extra


def blood_pressure(
    patient: Patient, *, systolic: float, diastolic: float, day: datetime.date
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": next_id("bp"),
        "status": "final",
        "category": category("vital-signs"),
        "code": coded(LOINC, "85354-9", "Blood pressure panel"),
        "subject": subject(patient),
        "effectiveDateTime": at(day),
        "component": [
            {
                "code": coded(LOINC, "8480-6", "Systolic blood pressure"),
                "valueQuantity": quantity(systolic, "mm[Hg]"),
            },
            {
                "code": coded(LOINC, "8462-4", "Diastolic blood pressure"),
                "valueQuantity": quantity(diastolic, "mm[Hg]"),
            },
        ],
    }


def vital(
    patient: Patient, *, code: str, display: str, value: float, unit: str, day: datetime.date
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": next_id("vital"),
        "status": "final",
        "category": category("vital-signs"),
        "code": coded(LOINC, code, display),
        "subject": subject(patient),
        "effectiveDateTime": at(day),
        "valueQuantity": quantity(value, unit),
    }


def hba1c(patient: Patient, day: datetime.date, value: float, **extra: Any) -> dict[str, Any]:
    return lab_observation(
        patient,
        code="4548-4",
        display="Hemoglobin A1c",
        value=value,
        unit="%",
        low=4.0,
        high=5.6,
        day=day,
        **extra,
    )


def glucose(
    patient: Patient, day: datetime.date, value: float = 95.0, **extra: Any
) -> dict[str, Any]:
    return lab_observation(
        patient,
        code="2345-7",
        display="Glucose",
        value=value,
        unit="mg/dL",
        low=70.0,
        high=99.0,
        day=day,
        **extra,
    )


def heart_rate(patient: Patient, day: datetime.date, value: float) -> dict[str, Any]:
    return vital(patient, code="8867-4", display="Heart rate", value=value, unit="/min", day=day)


def encounter(patient: Patient, start: str, **extra: Any) -> dict[str, Any]:
    """An office visit starting at `start` (a FHIR date-time)."""
    return {
        "resourceType": "Encounter",
        "id": next_id("enc"),
        "status": "finished",
        "type": [coded(SNOMED, "4", "Office visit")],
        "subject": subject(patient),
        "period": {"start": start},
    } | extra


def document(
    patient: Patient, content_type: str, data: bytes | None, **extra: Any
) -> dict[str, Any]:
    """A consultation note holding `data` (none: an attachment with no data)."""
    attachment: dict[str, Any] = {"contentType": content_type}
    if data is not None:
        attachment["data"] = base64.b64encode(data).decode()
    return {
        "resourceType": "DocumentReference",
        "id": next_id("doc"),
        "status": "current",
        "type": coded(LOINC, "11488-4", "Consultation note"),
        "subject": subject(patient),
        "date": "2025-02-03T16:00:00Z",
        "content": [{"attachment": attachment}],
    } | extra


def in_visit(encounter_id: str) -> dict[str, Any]:
    """The element that links a resource to the visit (merge it into the resource)."""
    return {"encounter": {"reference": f"Encounter/{encounter_id}"}}


def store(patient: Patient, *resources: dict[str, Any]) -> list[ClinicalResource]:
    """Store resources for the patient through the real service; return their rows, in order."""
    store_resources(
        clinic=patient.clinic, patient=patient, resources=list(resources), source="test"
    )
    rows = ClinicalResource.objects.filter(
        clinic=patient.clinic, fhir_id__in=[resource["id"] for resource in resources]
    )
    by_id = {(row.resource_type, row.fhir_id): row for row in rows}
    return [by_id[(resource["resourceType"], resource["id"])] for resource in resources]


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
