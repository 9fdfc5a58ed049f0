"""One small US Core 6.1 resource of each type the API serves beyond the core record, for tests.

`build_us_core_record(patient)` stores them through the real service: the patient's own
(CarePlan, CareTeam, Goal, Device, Coverage, MedicationRequest and MedicationDispense of a
shared Medication, Provenance, QuestionnaireResponse, RelatedPerson, ServiceRequest, Specimen)
and the clinic's shared ones the record points at (Practitioner, PractitionerRole, Organization,
Location, Medication, Endpoint), plus one shared Practitioner nothing of the patient's names.
Each meets its US Core profile (a test holds them to it with the checker).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from carebridge.patients.models import Patient
from carebridge.records.services import store_resources
from carebridge.testing.records import RXNORM, SNOMED, coded, next_id, subject

Json = dict[str, Any]
NPI = "http://hl7.org/fhir/sid/us-npi"
CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
NARRATIVE = {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Plan</div>'}


@dataclass(frozen=True)
class UsCoreRecord:
    """The stored resources by type (each type's one resource), and the shared Practitioner
    the record does not point at."""

    own: dict[str, Json]
    shared: dict[str, Json]
    unlinked_practitioner: Json


def ref(resource: Json) -> dict[str, str]:
    return {"reference": f"{resource['resourceType']}/{resource['id']}"}


def build_us_core_record(patient: Patient) -> UsCoreRecord:
    """Store the resources for `patient` (and the clinic's shared ones) and return them."""
    shared = _shared()
    unlinked = _practitioner("Nobody", "9999999999")
    own = _own(patient, shared)
    store_resources(
        clinic=patient.clinic,
        patient=None,
        resources=[*shared.values(), unlinked],
        source="test",
    )
    store_resources(
        clinic=patient.clinic, patient=patient, resources=list(own.values()), source="test"
    )
    return UsCoreRecord(own=own, shared=shared, unlinked_practitioner=unlinked)


def _shared() -> dict[str, Json]:
    endpoint = {
        "resourceType": "Endpoint",
        "id": next_id("endpoint"),
        "status": "active",
        "connectionType": {
            "system": "http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
            "code": "direct-project",
        },
        "payloadType": [{"text": "CCDA"}],
        "address": "mailto:chen@direct.example.org",
    }
    organization = {
        "resourceType": "Organization",
        "id": next_id("org"),
        "active": True,
        "name": "Riverside Family Practice",
        "address": [{"line": ["1 River Road"], "city": "Springfield", "state": "MA"}],
    }
    location = {
        "resourceType": "Location",
        "id": next_id("loc"),
        "name": "Riverside Clinic",
        "address": {"line": ["1 River Road"], "city": "Springfield", "state": "MA"},
        "managingOrganization": ref(organization),
    }
    practitioner = _practitioner("Chen", "1234567893")
    role = {
        "resourceType": "PractitionerRole",
        "id": next_id("role"),
        "practitioner": ref(practitioner),
        "organization": ref(organization),
        "code": [coded(SNOMED, "158965000", "Doctor")],
        "specialty": [coded("http://nucc.org/provider-taxonomy", "207Q00000X", "Family Medicine")],
        "location": [ref(location)],
        "endpoint": [ref(endpoint)],
    }
    medication = {
        "resourceType": "Medication",
        "id": next_id("med"),
        "code": coded(RXNORM, "314076", "lisinopril 10 MG Oral Tablet"),
    }
    return {
        "Endpoint": endpoint,
        "Organization": organization,
        "Location": location,
        "Practitioner": practitioner,
        "PractitionerRole": role,
        "Medication": medication,
    }


def _practitioner(family: str, npi: str) -> Json:
    return {
        "resourceType": "Practitioner",
        "id": next_id("pract"),
        "identifier": [{"system": NPI, "value": npi}],
        "name": [{"family": family, "given": ["Maya"]}],
    }


def _own(patient: Patient, shared: dict[str, Json]) -> dict[str, Json]:
    me, role, practitioner = subject(patient), ref(shared["PractitionerRole"]), shared
    care_plan = {
        "resourceType": "CarePlan",
        "id": next_id("plan"),
        "text": NARRATIVE,
        "status": "active",
        "intent": "plan",
        "category": [{"coding": [{"system": CAREPLAN_CATEGORY, "code": "assess-plan"}]}],
        "subject": me,
    }
    care_team = {
        "resourceType": "CareTeam",
        "id": next_id("team"),
        "status": "active",
        "subject": me,
        "participant": [{"role": [coded(SNOMED, "446050000", "Primary care")], "member": role}],
    }
    goal = {
        "resourceType": "Goal",
        "id": next_id("goal"),
        "lifecycleStatus": "active",
        "description": {"text": "Blood pressure below 130/80"},
        "subject": me,
    }
    device = {
        "resourceType": "Device",
        "id": next_id("device"),
        "udiCarrier": [{"deviceIdentifier": "09504000059118"}],
        "type": coded(SNOMED, "468063009", "Coated femoral stem prosthesis"),
        "patient": me,
    }
    coverage = _coverage(patient, shared["Organization"])
    request = {
        "resourceType": "MedicationRequest",
        "id": next_id("medreq"),
        "status": "active",
        "intent": "order",
        "medicationReference": ref(shared["Medication"]),
        "subject": me,
        "authoredOn": "2024-03-01",
        "requester": ref(practitioner["Practitioner"]),
    }
    dispense = {
        "resourceType": "MedicationDispense",
        "id": next_id("dispense"),
        "status": "completed",
        "medicationReference": ref(shared["Medication"]),
        "subject": me,
        "performer": [{"actor": ref(shared["Organization"])}],
        "authorizingPrescription": [ref(request)],
    }
    own: dict[str, Json] = {
        "CarePlan": care_plan,
        "CareTeam": care_team,
        "Goal": goal,
        "Device": device,
        "Coverage": coverage,
        "MedicationRequest": request,
        "MedicationDispense": dispense,
        **_more_own(patient, shared),
    }
    own["Provenance"] = _provenance(care_plan, shared["Organization"])
    return own


def _coverage(patient: Patient, payer: Json) -> Json:
    member = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MB"}]}
    kinds = "http://terminology.hl7.org/CodeSystem/coverage-class"
    return {
        "resourceType": "Coverage",
        "id": next_id("coverage"),
        "identifier": [{"type": member, "value": "M-100"}],
        "status": "active",
        "beneficiary": subject(patient),
        "relationship": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                    "code": "self",
                }
            ]
        },
        "payor": [ref(payer)],
        "class": [
            {"type": {"coding": [{"system": kinds, "code": "group"}]}, "value": "G-7"},
            {"type": {"coding": [{"system": kinds, "code": "plan"}]}, "value": "Gold"},
        ],
    }


def _more_own(patient: Patient, shared: dict[str, Json]) -> dict[str, Json]:
    me = subject(patient)
    return {
        "QuestionnaireResponse": {
            "resourceType": "QuestionnaireResponse",
            "id": next_id("qr"),
            "questionnaire": "http://example.org/Questionnaire/phq-2",
            "status": "completed",
            "subject": me,
            "authored": "2024-03-01T10:00:00Z",
            "item": [{"linkId": "1", "answer": [{"valueInteger": 0}]}],
        },
        "RelatedPerson": {
            "resourceType": "RelatedPerson",
            "id": next_id("related"),
            "active": True,
            "patient": me,
            "name": [{"family": "Doe", "given": ["Sam"]}],
        },
        "ServiceRequest": {
            "resourceType": "ServiceRequest",
            "id": next_id("order"),
            "status": "active",
            "intent": "order",
            "category": [coded(SNOMED, "108252007", "Laboratory procedure")],
            "code": coded("http://loinc.org", "2345-7", "Glucose"),
            "subject": me,
            "authoredOn": "2024-03-01",
            "requester": ref(shared["Practitioner"]),
        },
        "Specimen": {
            "resourceType": "Specimen",
            "id": next_id("specimen"),
            "type": coded(SNOMED, "119297000", "Blood specimen"),
            "subject": me,
        },
    }


def _provenance(target: Json, organization: Json) -> Json:
    author = {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                "code": "author",
            }
        ]
    }
    transmitter = {
        "coding": [
            {
                "system": "http://hl7.org/fhir/us/core/CodeSystem/us-core-provenance-participant-type",
                "code": "transmitter",
            }
        ]
    }
    return {
        "resourceType": "Provenance",
        "id": next_id("prov"),
        "target": [ref(target)],
        "recorded": "2024-03-01T10:00:00Z",
        "agent": [
            {"type": author, "who": ref(organization)},
            {"type": transmitter, "who": ref(organization)},
        ],
    }
