"""Charges from crafted Claims and ExplanationOfBenefits: every rule of docs/fhir-mapping.md
to the cent, re-import, a changed EOB and amounts that cannot be billed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carebridge.billing.models import (
    BillingAccount,
    Charge,
    ChargeSource,
    ChargeStatus,
    LedgerEntry,
)
from carebridge.billing.tests.fhir_resources import CARIN, adjudication, claim, eob, item, usd
from carebridge.patients.models import Patient
from carebridge.records.services import store_resources
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _import(patient: Patient, *resources: dict[str, Any]) -> list[tuple[str, str]]:
    counts = store_resources(
        clinic=patient.clinic, patient=patient, resources=list(resources), source="test"
    )
    return counts.not_billed


def _lines(patient: Patient, source: str = ChargeSource.EOB) -> list[tuple[Any, ...]]:
    return [
        (
            c.source_id,
            c.line,
            c.status,
            c.billed_cents,
            c.insurance_paid_cents,
            c.adjusted_cents,
            c.patient_cents,
        )
        for c in Charge.objects.filter(patient=patient, source=source).order_by("source_id", "line")
    ]


def _balance(patient: Patient) -> int:
    return BillingAccount.objects.get(patient=patient).balance_cents


def test_an_eob_line_splits_into_insurance_adjustment_and_copay(cast: Cast) -> None:
    pat = cast.patient
    visit = item(
        1,
        "Office visit",
        adjudication("submitted", 200),
        adjudication("eligible", 150),
        adjudication("benefit", 125),
        adjudication("copay", 25),
    )
    assert _import(pat, eob(pat, "e1", visit)) == []
    assert _lines(pat) == [("e1", 1, ChargeStatus.BILLED, 20000, 12500, 5000, 2500)]
    charge = Charge.objects.get(patient=pat)
    assert (charge.description, charge.clinician, charge.place, charge.service_date) == (
        "Office visit",
        "Maya Chen, MD",
        "Riverside Main Street",
        datetime.date(2026, 3, 2),
    )
    assert _balance(pat) == 2500


def test_carin_member_liability_less_what_the_patient_paid_at_the_desk(cast: Cast) -> None:
    pat = cast.patient
    visit = item(
        1,
        "Visit",
        adjudication("submitted", 300, CARIN),
        adjudication("paidtoprovider", 180, CARIN),
        adjudication("memberliability", 60, CARIN),
        adjudication("paidbypatient", 20, CARIN),
        adjudication("copay", 20),
    )
    _import(pat, eob(pat, "e2", visit))
    # No allowed amount: adjusted = 300 - 180 - 40.
    assert _lines(pat) == [("e2", 1, ChargeStatus.BILLED, 30000, 18000, 8000, 4000)]


def test_deductible_and_coinsurance_add_up_and_round_per_line(cast: Cast) -> None:
    pat = cast.patient
    # Two lines of 0.005 coinsurance each: each rounds up to $0.01, so the visit owes $0.02
    # (per-line rounding), not the $0.01 the unrounded sum would give.
    first = item(
        1,
        "Test A",
        adjudication("submitted", "10.00"),
        adjudication("benefit", "9.995"),
        adjudication("coinsurance", "0.005"),
    )
    second = item(
        2,
        "Test B",
        adjudication("submitted", "10.00"),
        adjudication("benefit", "4.995"),
        adjudication("deductible", "5"),
        adjudication("coinsurance", "0.005"),
    )
    _import(pat, eob(pat, "e3", first, second))
    assert _lines(pat) == [
        ("e3", 1, ChargeStatus.BILLED, 1000, 1000, 0, 1),
        ("e3", 2, ChargeStatus.BILLED, 1000, 500, 0, 501),
    ]
    assert _balance(pat) == 502


def test_an_eob_without_item_adjudication_is_one_line_from_its_totals(cast: Cast) -> None:
    pat = cast.patient
    header = {
        "total": [adjudication("submitted", 125), adjudication("copay", "12.5")],
        "payment": {"amount": usd(100)},
    }
    _import(pat, eob(pat, "e4", item(1, "Check-up"), **header))
    assert _lines(pat) == [("e4", 1, ChargeStatus.BILLED, 12500, 10000, 1250, 1250)]


def test_an_eob_replaces_its_claim_and_the_claim_again_adds_nothing(cast: Cast) -> None:
    pat = cast.patient
    _import(pat, claim(pat, "c1", 200, "50.5"))
    assert _lines(pat, ChargeSource.CLAIM) == [
        ("c1", 1, ChargeStatus.WITH_INSURANCE, 20000, 0, 0, 0),
        ("c1", 2, ChargeStatus.WITH_INSURANCE, 5050, 0, 0, 0),
    ]
    visit = item(1, "Visit", adjudication("submitted", 200), adjudication("copay", 30))
    _import(pat, eob(pat, "e5", visit, claim="c1"))
    statuses = Charge.objects.filter(source=ChargeSource.CLAIM).values_list("status", flat=True)
    assert set(statuses) == {ChargeStatus.SUPERSEDED}
    # The claim sent again (changed) after its EOB: it stays replaced.
    _import(pat, claim(pat, "c1", 201, "50.5"))
    assert set(statuses.all()) == {ChargeStatus.SUPERSEDED}
    assert _balance(pat) == 3000


def test_a_self_pay_claim_is_billed_in_full(cast: Cast) -> None:
    pat = cast.patient
    _import(pat, claim(pat, "c2", "80.125", insured=False))
    assert _lines(pat, ChargeSource.CLAIM) == [("c2", 1, ChargeStatus.BILLED, 8013, 0, 0, 8013)]
    assert _balance(pat) == 8013


def test_importing_again_changes_nothing_and_a_changed_eob_posts_the_difference(
    cast: Cast,
) -> None:
    pat = cast.patient
    visit = item(1, "Visit", adjudication("submitted", 200), adjudication("copay", 25))
    _import(pat, eob(pat, "e6", visit))
    _import(pat, eob(pat, "e6", visit, id="e6"))
    assert LedgerEntry.objects.filter(patient=pat).count() == 1
    lowered = item(1, "Visit", adjudication("submitted", 200), adjudication("copay", "10.40"))
    _import(pat, eob(pat, "e6", lowered, created="2026-03-09"))
    amounts = (
        LedgerEntry.objects.filter(patient=pat)
        .order_by("id")
        .values_list("amount_cents", flat=True)
    )
    assert list(amounts) == [2500, -1460]
    assert _balance(pat) == 1040


def test_a_changed_eob_with_fewer_items_takes_back_the_line_it_dropped(cast: Cast) -> None:
    pat = cast.patient
    visit = item(1, "Visit", adjudication("submitted", 200), adjudication("copay", 25))
    shot = item(2, "Flu shot", adjudication("submitted", 40), adjudication("copay", "7.5"))
    _import(pat, eob(pat, "e7", visit, shot))
    assert _balance(pat) == 3250
    _import(pat, eob(pat, "e7", visit, created="2026-03-09"))
    assert _lines(pat) == [
        ("e7", 1, ChargeStatus.BILLED, 20000, 0, 17500, 2500),
        ("e7", 2, ChargeStatus.SUPERSEDED, 4000, 0, 3250, 0),
    ]
    assert _balance(pat) == 2500


@pytest.mark.parametrize(
    ("money", "reason"),
    [
        ({"value": 200, "currency": "EUR"}, "Not billed: its amounts are in EUR, not US dollars."),
        ({"value": -5, "currency": "USD"}, "Not billed: it has a negative amount."),
        ({"value": "lots", "currency": "USD"}, "Not billed: an amount could not be read."),
    ],
)
def test_an_eob_with_an_amount_it_cannot_bill_is_skipped_and_nothing_else_changes(
    cast: Cast, money: dict[str, Any], reason: str
) -> None:
    pat = cast.patient
    good = eob(pat, "ok", item(1, "Visit", adjudication("submitted", 50), adjudication("copay", 5)))
    bad_item = item(1, "Visit", {"category": {"coding": [{"code": "submitted"}]}, "amount": money})
    bad = eob(pat, "bad", bad_item, claim="c3")
    not_billed = _import(pat, claim(pat, "c3", 200), good, bad)
    assert not_billed == [("ExplanationOfBenefit/bad", reason)]
    assert _lines(pat) == [("ok", 1, ChargeStatus.BILLED, 5000, 0, 4500, 500)]
    # Its claim is still waiting for insurance: nothing but the bad EOB was left out.
    assert _lines(pat, ChargeSource.CLAIM) == [
        ("c3", 1, ChargeStatus.WITH_INSURANCE, 20000, 0, 0, 0)
    ]
    assert _balance(pat) == 500
