"""Clinical-record builders for tests: valid FHIR R4 resources, stored through the real service.

The sample record every persona test shares is in `carebridge.testing.sample_record`.
"""

from __future__ import annotations

import base64
import datetime
import itertools
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


def medication_request(
    patient: Patient, name: str, status: str = "active", **extra: Any
) -> dict[str, Any]:
    """A prescription of `name` (RxNorm display), written on 3 February 2024."""
    return {
        "resourceType": "MedicationRequest",
        "id": next_id("med"),
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": coded(RXNORM, "1", name),
        "subject": subject(patient),
        "authoredOn": "2024-02-03",
    } | extra


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


def appointment(
    patient: Patient,
    start: datetime.datetime | None,
    *,
    status: str = "booked",
    kind: str = "Follow-up visit",
    clinician: str = "Maya Chen, MD",
    place: str = "Main Street Office",
    minutes: int = 30,
    **extra: Any,
) -> dict[str, Any]:
    """An appointment at `start` (an aware datetime; None: not yet given a time) for `minutes`,
    with the patient, a clinician and a place as participants (empty names leave them out)."""
    resource: dict[str, Any] = {
        "resourceType": "Appointment",
        "id": next_id("appt"),
        "status": status,
        "participant": [{"actor": subject(patient), "status": "accepted"}],
    }
    if kind:
        resource["serviceType"] = [{"text": kind}]
    if start is not None:
        resource["start"] = start.isoformat()
        resource["end"] = (start + datetime.timedelta(minutes=minutes)).isoformat()
    if clinician:
        actor = {"reference": "Practitioner/dr-chen", "display": clinician}
        resource["participant"].append({"actor": actor, "status": "accepted"})
    if place:
        actor = {"reference": "Location/main-street", "display": place}
        resource["participant"].append({"actor": actor, "status": "accepted"})
    return resource | extra


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
