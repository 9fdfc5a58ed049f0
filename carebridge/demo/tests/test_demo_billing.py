"""The demo's bills: claims read into charges, a paid and an unpaid statement, a payment plan,
insurance cards with photos. Pat, Sam and Una (the cast, with sample records) stand in for the
demo's patients: the first two have accounts, Una has none."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Sum

from carebridge.billing.models import (
    BillingAccount,
    Charge,
    ChargeStatus,
    CoverageStatus,
    InsuranceCoverage,
    LedgerEntry,
    PaymentPlan,
    PaymentStatus,
    Statement,
)
from carebridge.billing.services.insurance import card_path
from carebridge.demo.billing import demo_billing_patients, load_demo_billing
from carebridge.testing.personas import Cast
from carebridge.testing.sample_record import build_sample_record


def _load(cast: Cast, today: datetime.date) -> None:
    patients = demo_billing_patients(cast.clinic, ["RFC-1003", "RFC-1002", "RFC-1001"])
    assert [patient.mrn for patient in patients] == ["RFC-1001", "RFC-1002", "RFC-1003"]
    load_demo_billing(
        cast.clinic,
        patients,
        billing_user=cast.billing,
        front_desk_user=cast.front_desk,
        today=today,
    )


def _left(statement: Statement) -> int:
    total = LedgerEntry.objects.filter(statement=statement).aggregate(left=Sum("amount_cents"))
    return int(total["left"] or 0)


@pytest.mark.django_db
def test_the_demo_has_paid_and_unpaid_bills_a_plan_and_insurance_cards(
    cast_with_records: Cast, settings: object, tmp_path: object
) -> None:
    settings.CAREBRIDGE_ATTACHMENT_DIR = str(tmp_path)  # type: ignore[attr-defined]
    cast = cast_with_records
    build_sample_record(cast.unenrolled_patient)
    today = datetime.date.today()
    _load(cast, today)
    # Pat: her check-up's claim (insurance paid it all; $8.40 of blood tests), paid at the
    # desk, then a flu shot's $45.00 on a statement not yet paid.
    charges = Charge.objects.filter(patient=cast.patient).exclude(status=ChargeStatus.SUPERSEDED)
    assert sorted(charges.values_list("description", "patient_cents")) == [
        ("Blood tests", 840),
        ("Flu shot (not covered by your plan)", 4500),
        ("Yearly check-up", 0),
    ]
    paid, unpaid = Statement.objects.filter(patient=cast.patient).order_by("issued_on")
    assert (paid.amount_cents, _left(paid), unpaid.amount_cents, _left(unpaid)) == (
        840,
        0,
        4500,
        4500,
    )
    assert paid.payments.get().status == PaymentStatus.SUCCEEDED
    assert BillingAccount.objects.get(patient=cast.patient).balance_cents == 4500
    card = InsuranceCoverage.objects.get(patient=cast.patient, status=CoverageStatus.CURRENT)
    assert (card.copay_cents, card.payer_name) == (2500, "Hudson Valley Health Plan")
    assert card_path(card, "front") is not None and card_path(card, "back") is not None
    # Sam: $240.00 for a procedure plus $8.40, over four months.
    plan = PaymentPlan.objects.get(patient=cast.second_patient)
    assert (plan.total_cents, plan.instalment_count) == (24840, 4)
    assert list(plan.instalments.values_list("amount_cents", flat=True)) == [
        6210,
        6210,
        6210,
        6210,
    ]
    # Una: a statement, and a new card waiting for the front desk.
    assert Statement.objects.filter(patient=cast.unenrolled_patient).count() == 1
    waiting = InsuranceCoverage.objects.get(patient=cast.unenrolled_patient, status="pending")
    assert waiting.card_front != ""
    # Loading again changes nothing.
    counts = [model.objects.count() for model in (Statement, Charge, LedgerEntry, PaymentPlan)]
    _load(cast, today)
    assert [model.objects.count() for model in (Statement, Charge, LedgerEntry, PaymentPlan)] == (
        counts
    )
