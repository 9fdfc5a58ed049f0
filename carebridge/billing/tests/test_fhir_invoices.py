"""ChargeItems, Invoices and Coverage from the clinic's FHIR, to the cent."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carebridge.billing.models import (
    BillingAccount,
    BillingRules,
    Charge,
    ChargeSource,
    CoverageSource,
    CoverageStatus,
    InsuranceCoverage,
    LedgerEntry,
    Statement,
)
from carebridge.billing.tests.fhir_resources import usd
from carebridge.patients.models import Patient
from carebridge.records.services import store_resources
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _import(patient: Patient, *resources: dict[str, Any]) -> list[tuple[str, str]]:
    counts = store_resources(
        clinic=patient.clinic, patient=patient, resources=list(resources), source="test"
    )
    return counts.not_billed


def charge_item(fhir_id: str, price: object = None, **extra: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "ChargeItem",
        "id": fhir_id,
        "status": "billable",
        "code": {"text": "Flu shot"},
        "subject": {"reference": "Patient/x"},
        "occurrenceDateTime": "2026-02-10T10:00:00-05:00",
        "performer": [{"actor": {"display": "Nora Nurse, RN"}}],
    }
    if price is not None:
        resource["priceOverride"] = usd(price)
    return resource | extra


def invoice(fhir_id: str, *lines: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Invoice",
        "id": fhir_id,
        "status": "issued",
        "subject": {"reference": "Patient/x"},
        "date": "2026-02-20",
        "lineItem": list(lines),
    } | extra


def test_a_charge_item_is_billed_at_its_override_price(cast: Cast) -> None:
    pat = cast.patient
    assert _import(pat, charge_item("ci1", "35.555")) == []
    charge = Charge.objects.get(patient=pat, source=ChargeSource.CHARGE_ITEM)
    assert (
        charge.description,
        charge.service_date,
        charge.clinician,
        charge.billed_cents,
        charge.patient_cents,
    ) == ("Flu shot", datetime.date(2026, 2, 10), "Nora Nurse, RN", 3556, 3556)
    assert BillingAccount.objects.get(patient=pat).balance_cents == 3556


def test_a_charge_item_without_a_price_is_not_billed(cast: Cast) -> None:
    pat = cast.patient
    assert _import(pat, charge_item("ci2")) == [
        ("ChargeItem/ci2", "Not billed: it has no price to bill.")
    ]
    assert not Charge.objects.filter(patient=pat).exists()


def test_an_invoice_is_a_statement_with_its_lines_and_the_charge_items_it_lists(
    cast: Cast,
) -> None:
    pat = cast.patient
    BillingRules.objects.create(clinic=cast.clinic, statement_due_days=21)
    lines = [
        {"sequence": 1, "chargeItemReference": {"reference": "ChargeItem/ci3"}},
        {
            "sequence": 2,
            "chargeItemCodeableConcept": {"text": "Supplies"},
            "priceComponent": [
                {"type": "base", "amount": usd(20)},
                {"type": "discount", "amount": usd("2.50")},
                {"type": "tax", "amount": usd("1.05")},
            ],
        },
    ]
    extra = {"totalNet": usd("53.55"), "totalGross": usd("53.55")}
    assert _import(pat, charge_item("ci3", 35), invoice("inv1", *lines, **extra)) == []
    statement = Statement.objects.get(patient=pat)
    assert (statement.fhir_id, statement.issued_on, statement.due_on, statement.amount_cents) == (
        "inv1",
        datetime.date(2026, 2, 20),
        datetime.date(2026, 3, 13),
        5355,
    )
    filed = LedgerEntry.objects.filter(statement=statement).order_by("id")
    assert [(e.charge.source, e.amount_cents) for e in filed] == [
        (ChargeSource.CHARGE_ITEM, 3500),
        (ChargeSource.INVOICE, 1855),
    ]
    # Again: the same statement, no new entries.
    _import(pat, charge_item("ci3", 35), invoice("inv1", *lines, **extra, note=[{"text": "x"}]))
    assert (Statement.objects.count(), LedgerEntry.objects.count()) == (1, 2)


def coverage(fhir_id: str, start: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Coverage",
        "id": fhir_id,
        "status": "active",
        "beneficiary": {"reference": "Patient/x"},
        "subscriberId": "ACM123456",
        "subscriber": {"display": "Pat Patient"},
        "relationship": {"coding": [{"code": "self", "display": "Self"}]},
        "period": {"start": start},
        "payor": [{"display": "Acme Health"}],
        "class": [
            {
                "type": {"coding": [{"code": "group"}]},
                "value": "GRP-77",
                "name": "Riverside employees",
            },
            {"type": {"coding": [{"code": "plan"}]}, "value": "P1", "name": "Acme Gold PPO"},
        ],
        "costToBeneficiary": [
            {"type": {"coding": [{"code": "copay"}]}, "valueMoney": usd(25)},
        ],
    } | extra


def _coverages(patient: Patient) -> list[tuple[str, ...]]:
    rows = InsuranceCoverage.objects.filter(patient=patient).order_by("fhir_id")
    return [(r.fhir_id, r.source, r.status) for r in rows]


def test_coverage_is_insurance_on_file_and_the_newest_active_one_is_current(cast: Cast) -> None:
    pat = cast.patient
    _import(pat, coverage("cov-old", "2024-01-01"), coverage("cov-new", "2026-01-01"))
    current = InsuranceCoverage.objects.get(patient=pat, status=CoverageStatus.CURRENT)
    assert (
        current.fhir_id,
        current.payer_name,
        current.plan_name,
        current.member_id,
        current.group_number,
        current.subscriber_name,
        current.subscriber_relationship,
        current.copay_cents,
    ) == (
        "cov-new",
        "Acme Health",
        "Acme Gold PPO",
        "ACM123456",
        "GRP-77",
        "Pat Patient",
        "Self",
        2500,
    )
    assert _coverages(pat) == [
        ("cov-new", CoverageSource.IMPORTED, CoverageStatus.CURRENT),
        ("cov-old", CoverageSource.IMPORTED, CoverageStatus.REPLACED),
    ]


def test_insurance_the_patient_sent_stays_in_use(cast: Cast) -> None:
    pat = cast.patient
    InsuranceCoverage.objects.create(
        clinic=cast.clinic,
        patient=pat,
        source=CoverageSource.PATIENT,
        status=CoverageStatus.CURRENT,
        payer_name="Their own",
    )
    _import(pat, coverage("cov-1", "2026-01-01"))
    own = InsuranceCoverage.objects.get(patient=pat, status=CoverageStatus.CURRENT)
    assert own.payer_name == "Their own"
    assert _coverages(pat)[0] == ("", CoverageSource.PATIENT, CoverageStatus.CURRENT)
    assert _coverages(pat)[1] == ("cov-1", CoverageSource.IMPORTED, CoverageStatus.REPLACED)
