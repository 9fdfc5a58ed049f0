"""Small crafted billing resources for the FHIR import tests (CARIN and US Core shapes)."""

from __future__ import annotations

from typing import Any

from carebridge.patients.models import Patient

ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
CARIN = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication"


def usd(value: object, currency: str = "USD") -> dict[str, Any]:
    return {"value": value, "currency": currency}


def adjudication(code: str, value: object, system: str = ADJUDICATION) -> dict[str, Any]:
    return {"category": {"coding": [{"system": system, "code": code}]}, "amount": usd(value)}


def item(sequence: int, text: str, *adjudications: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "sequence": sequence,
        "productOrService": {"text": text},
        "servicedDate": "2026-03-02",
        "adjudication": list(adjudications),
        **extra,
    }


def eob(
    patient: Patient, fhir_id: str, *items: dict[str, Any], claim: str = "", **extra: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit",
        "id": fhir_id,
        "status": "active",
        "use": "claim",
        "outcome": "complete",
        "patient": {"reference": f"Patient/{patient.pk}"},
        "created": "2026-03-05",
        "billablePeriod": {"start": "2026-03-02"},
        "careTeam": [{"sequence": 1, "provider": {"display": "Maya Chen, MD"}}],
        "facility": {"display": "Riverside Main Street"},
        "item": list(items),
    }
    if claim:
        resource["claim"] = {"reference": f"Claim/{claim}"}
    return resource | extra


def claim(
    patient: Patient, fhir_id: str, *nets: object, insured: bool = True, **extra: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Claim",
        "id": fhir_id,
        "status": "active",
        "use": "claim",
        "patient": {"reference": f"Patient/{patient.pk}"},
        "created": "2026-03-02",
        "billablePeriod": {"start": "2026-03-02"},
        "item": [
            {"sequence": n, "productOrService": {"text": f"Service {n}"}, "net": usd(value)}
            for n, value in enumerate(nets, start=1)
        ],
    }
    if insured:
        resource["insurance"] = [{"sequence": 1, "focal": True, "coverage": {"display": "Acme"}}]
    return resource | extra
