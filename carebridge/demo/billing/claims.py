"""The demo's "billing system" as FHIR R4: each patient's coverage, and a claim and the
insurer's explanation of benefits for each of their last visits, with fixed amounts per kind of
visit (so the demo's bills are the same every day). Stored through the record store, as an EHR's
export would be, so the demo's charges come through the same reading of claims (`billing.fhir`)
as a clinic's own.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.records.services import store_resources

Json = dict[str, Any]
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
CPT = "http://www.ama-assn.org/go/cpt"


@dataclass(frozen=True)
class Service:
    """One billed service: its code and words, and the amounts in cents."""

    code: str
    display: str
    submitted: int
    allowed: int
    insurance_paid: int
    copay: int = 0
    deductible: int = 0


OFFICE_VISIT = Service("99213", "Office visit", 18000, 12000, 9500, copay=2500)
CHECKUP = Service("99396", "Yearly check-up", 26000, 19000, 19000)
LAB_PANEL = Service("80053", "Blood tests", 6500, 4200, 3360, deductible=840)
PLANS = (
    ("Hudson Valley Health Plan", "Silver PPO", "HV"),
    ("Empire Mutual", "Bronze HMO", "EM"),
    ("Medicare Part B", "Original Medicare", "MB"),
)


def money(cents: int) -> Json:
    return {"value": round(cents / 100, 2), "currency": "USD"}


def adjudication(service: Service) -> list[Json]:
    amounts = [
        ("submitted", service.submitted),
        ("eligible", service.allowed),
        ("benefit", service.insurance_paid),
        ("copay", service.copay),
        ("deductible", service.deductible),
    ]
    return [
        {"category": {"coding": [{"system": ADJUDICATION, "code": code}]}, "amount": money(cents)}
        for code, cents in amounts
        if cents or code in ("submitted", "benefit")
    ]


def coverage(patient_ref: str, number: int, key: str) -> Json:
    payer, plan, prefix = PLANS[number % len(PLANS)]
    return {
        "resourceType": "Coverage",
        "id": f"demo-coverage-{key}",
        "status": "active",
        "subscriberId": f"{prefix}{700000 + number * 7919:08d}",
        "beneficiary": {"reference": patient_ref},
        "relationship": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
                    "code": "self",
                }
            ]
        },
        "payor": [{"display": payer}],
        "class": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                            "code": "plan",
                        }
                    ]
                },
                "value": plan,
                "name": plan,
            },
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                            "code": "group",
                        }
                    ]
                },
                "value": f"G-{4100 + number}",
            },
        ],
        "costToBeneficiary": [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/coverage-copay-type",
                            "code": "copay",
                        }
                    ]
                },
                "valueMoney": money(OFFICE_VISIT.copay),
            }
        ],
    }


def services_for(encounter: ClinicalResource) -> tuple[Service, ...]:
    """A check-up is billed with its blood tests; other visits as an office visit."""
    if "check" in encounter.code_display.lower() or "well" in encounter.code_display.lower():
        return (CHECKUP, LAB_PANEL)
    return (OFFICE_VISIT,)


def claim_and_eob(
    patient_ref: str, encounter: ClinicalResource, coverage_ref: str
) -> tuple[Json, Json]:
    """The claim sent for a visit and the insurer's explanation of benefits for it."""
    assert encounter.effective_at is not None
    day = encounter.effective_at.date().isoformat()
    services = services_for(encounter)
    encounter_ref = {"reference": f"Encounter/{encounter.fhir_id}"}
    provider = {"display": encounter.performer or "Riverside Family Clinic"}
    items = [
        {
            "sequence": number,
            "productOrService": {
                "coding": [{"system": CPT, "code": service.code, "display": service.display}],
                "text": service.display,
            },
            "servicedDate": day,
            "encounter": [encounter_ref],
            "net": money(service.submitted),
        }
        for number, service in enumerate(services, start=1)
    ]
    claim_id = f"demo-claim-{encounter.fhir_id}"
    common: Json = {
        "status": "active",
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "professional"}]},
        "use": "claim",
        "patient": {"reference": patient_ref},
        "created": day,
        "provider": provider,
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": coverage_ref}}],
    }
    claim = {
        "resourceType": "Claim",
        "id": claim_id,
        **common,
        "priority": {"coding": [{"code": "normal"}]},
        "item": items,
        "total": money(sum(service.submitted for service in services)),
    }
    eob = {
        "resourceType": "ExplanationOfBenefit",
        "id": f"demo-eob-{encounter.fhir_id}",
        **common,
        "insurer": {"display": "Insurer"},
        "claim": {"reference": f"Claim/{claim_id}"},
        "outcome": "complete",
        "item": [
            item | {"adjudication": adjudication(service)}
            for item, service in zip(items, services, strict=True)
        ],
    }
    return claim, eob


def patient_resource_id(patient: Patient) -> str | None:
    row = ClinicalResource.objects.filter(patient=patient, resource_type="Patient").first()
    return row.fhir_id if row else None


def recent_visits(patient: Patient, today: datetime.date, count: int) -> list[ClinicalResource]:
    """The patient's last `count` finished visits before today, oldest first."""
    rows = ClinicalResource.objects.filter(
        patient=patient, resource_type="Encounter", status="finished", effective_at__date__lt=today
    ).order_by("-effective_at")[:count]
    return list(reversed(rows))


def billing_resources(
    patient: Patient, number: int, today: datetime.date, visits: int = 2
) -> list[Json]:
    """A demo patient's coverage, and a claim and explanation of benefits for each of their last
    `visits` visits (none without a visit)."""
    patient_id = patient_resource_id(patient) or str(patient.pk)
    patient_ref = f"Patient/{patient_id}"
    plan = coverage(patient_ref, number, patient_id)
    encounters = recent_visits(patient, today, visits)
    if not encounters:
        return []
    resources = [plan]
    for encounter in encounters:
        resources.extend(claim_and_eob(patient_ref, encounter, f"Coverage/{plan['id']}"))
    return resources


def store_billing_resources(clinic: Clinic, patient: Patient, resources: list[Json]) -> None:
    """Store a patient's coverage and claims as the importer would (the record store reads the
    claims into charges in the same transaction)."""
    store_resources(
        clinic=clinic,
        patient=patient,
        resources=resources,
        source=f"demo/billing/{patient.mrn}.json",
        notify=False,
    )


def after_visits(resources: Sequence[Json], today: datetime.date) -> datetime.date:
    """The day after the last visit billed (today at the latest): when its statement went out."""
    days = [
        datetime.date.fromisoformat(str(item["created"])[:10])
        for item in resources
        if item["resourceType"] == "Claim"
    ]
    return min(max(days) + datetime.timedelta(days=1), today)
