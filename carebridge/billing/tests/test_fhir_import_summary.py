"""A bundle imported by the record import: its claim and EOB become charges with the
practitioner's name from the bundle, and an EOB in euros is stored but not billed, named in the
import summary with its plain reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebridge.billing.models import Charge, ChargeSource, ChargeStatus
from carebridge.billing.tests.fhir_resources import adjudication, usd
from carebridge.records.models import ClinicalResource
from carebridge.records.tests.importing_files import (
    bundle,
    entry,
    patient,
    practitioner,
    run,
    write_json,
)
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _eob(fhir_id: str, currency: str = "USD") -> dict[str, object]:
    money = {"value": 200, "currency": currency}
    return {
        "resourceType": "ExplanationOfBenefit",
        "id": fhir_id,
        "status": "active",
        "outcome": "complete",
        "patient": {"reference": "urn:uuid:p1"},
        "created": "2026-03-05",
        "provider": {"reference": "urn:uuid:dr-chen"},
        "claim": {"reference": "urn:uuid:claim-1"},
        "item": [
            {
                "sequence": 1,
                "productOrService": {"text": "Office visit"},
                "servicedDate": "2026-03-02",
                "adjudication": [
                    {"category": {"coding": [{"code": "submitted"}]}, "amount": money},
                    adjudication("copay", 25) if currency == "USD" else {},
                ],
            }
        ],
    }


def test_the_import_bills_what_it_can_and_names_what_it_cannot(cast: Cast, tmp_path: Path) -> None:
    claim = {
        "resourceType": "Claim",
        "id": "claim-1",
        "status": "active",
        "use": "claim",
        "patient": {"reference": "urn:uuid:p1"},
        "created": "2026-03-02",
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"display": "Acme"}}],
        "item": [{"sequence": 1, "productOrService": {"text": "Office visit"}, "net": usd(200)}],
    }
    document = bundle(
        entry(patient("p1")),
        entry(practitioner("dr-chen")),
        entry(claim),
        entry(_eob("eob-1")),
        entry(_eob("eob-eur", currency="EUR")),
    )
    summary = run(cast.clinic, write_json(tmp_path, "visit.json", document))
    assert summary["errors"] == []
    assert summary["warnings"] == [
        {
            "source": "visit.json",
            "position": "ExplanationOfBenefit/eob-eur",
            "message": "Not billed: its amounts are in EUR, not US dollars.",
        }
    ]
    assert ClinicalResource.objects.filter(resource_type="ExplanationOfBenefit").count() == 2
    lines = Charge.objects.order_by("source", "source_id").values_list(
        "source", "source_id", "status", "clinician", "patient_cents"
    )
    # The claim's EOB came with it, so the claim adds no lines of its own.
    assert list(lines) == [
        (ChargeSource.EOB, "eob-1", ChargeStatus.BILLED, "Maya Chen, MD", 2500),
    ]
