"""The ledger: charges, statements, payments, refunds and adjustments, to the cent.

Cast: Pat (the patient) and billing staff Bill; Sam's account must never move.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from carebridge.billing.models import (
    BillingAccount,
    ChargeSource,
    ChargeStatus,
    LedgerEntry,
    Method,
    PayerKind,
    Payment,
    PaymentStatus,
    Provider,
)
from carebridge.billing.services.charges import (
    ChargeLine,
    issue_statement,
    post_adjustment,
    post_manual_charge,
    sync_charge_lines,
)
from carebridge.billing.services.ledger import statement_balances
from carebridge.billing.services.payments import complete_payment, fail_payment, record_refund
from carebridge.core.actor import Actor
from carebridge.testing.personas import Cast

DAY = datetime.date(2026, 11, 2)


def _line(source_id: str, patient_cents: int, **changes: object) -> ChargeLine:
    fields: dict[str, object] = {
        "source": ChargeSource.EOB,
        "source_id": source_id,
        "line": 1,
        "visit_key": "enc-1",
        "service_date": DAY,
        "description": "Office visit",
        "status": ChargeStatus.BILLED,
        "billed_cents": 10900,
        "insurance_paid_cents": 8400,
        "patient_cents": patient_cents,
    }
    return ChargeLine(**(fields | changes))  # type: ignore[arg-type]


def _balance(cast: Cast) -> int:
    account = BillingAccount.objects.get(patient=cast.patient)
    total = sum(
        LedgerEntry.objects.filter(patient=cast.patient).values_list("amount_cents", flat=True)
    )
    assert account.balance_cents == total
    return account.balance_cents


def _payment(cast: Cast, cents: int, key: str = "k1") -> Payment:
    return Payment.objects.create(
        clinic=cast.clinic,
        patient=cast.patient,
        amount_cents=cents,
        provider=Provider.TEST,
        method=Method.CARD_ONLINE,
        idempotency_key=key,
        payer_kind=PayerKind.PATIENT,
        receipt_email="pat@example.org",
    )


@pytest.mark.django_db
def test_importing_the_same_lines_twice_owes_once_and_a_change_posts_the_difference(
    cast: Cast,
) -> None:
    system = Actor.system()
    assert sync_charge_lines(actor=system, patient=cast.patient, lines=[_line("eob-1", 2500)]) == 1
    assert sync_charge_lines(actor=system, patient=cast.patient, lines=[_line("eob-1", 2500)]) == 0
    assert _balance(cast) == 2500
    sync_charge_lines(actor=system, patient=cast.patient, lines=[_line("eob-1", 1999)])
    assert _balance(cast) == 1999
    amounts = LedgerEntry.objects.filter(patient=cast.patient).order_by("id")
    assert list(amounts.values_list("amount_cents", flat=True)) == [2500, -501]
    assert not BillingAccount.objects.filter(patient=cast.second_patient).exists()


@pytest.mark.django_db
def test_a_claim_with_insurance_owes_nothing_until_its_explanation_of_benefits(cast: Cast) -> None:
    system = Actor.system()
    claim = _line("claim-1", 0, source=ChargeSource.CLAIM, status=ChargeStatus.WITH_INSURANCE)
    sync_charge_lines(actor=system, patient=cast.patient, lines=[claim])
    assert _balance(cast) == 0
    sync_charge_lines(
        actor=system,
        patient=cast.patient,
        lines=[_line("eob-1", 2500)],
        superseded=[(ChargeSource.CLAIM, "claim-1")],
    )
    assert _balance(cast) == 2500


@pytest.mark.django_db
def test_a_partial_payment_pays_the_oldest_statement_first(cast: Cast) -> None:
    def bill() -> Actor:
        # A new request each time, as in the console.
        return Actor(user=cast.billing, acting_as="staff")

    post_manual_charge(
        actor=bill(), patient=cast.patient, service_date=DAY, description="Visit", amount_cents=3000
    )
    first = issue_statement(actor=bill(), patient=cast.patient, due_days=30)
    post_manual_charge(
        actor=bill(), patient=cast.patient, service_date=DAY, description="Lab", amount_cents=4550
    )
    second = issue_statement(actor=bill(), patient=cast.patient, due_days=30)
    assert first is not None and second is not None
    assert (first.amount_cents, second.amount_cents) == (3000, 4550)
    payment = _payment(cast, 4000)
    assert complete_payment(actor=Actor.system(), payment_id=payment.pk, provider_payment_id="p")
    assert statement_balances(cast.patient) == {first.pk: 0, second.pk: 3550}
    assert _balance(cast) == 3550
    # The same payment reported again changes nothing.
    assert not complete_payment(actor=Actor.system(), payment_id=payment.pk)
    assert _balance(cast) == 3550


@pytest.mark.django_db
def test_a_declined_payment_changes_no_balance(cast: Cast) -> None:
    post_manual_charge(
        actor=Actor(user=cast.billing, acting_as="staff"),
        patient=cast.patient,
        service_date=DAY,
        description="Visit",
        amount_cents=3000,
    )
    payment = _payment(cast, 3000)
    assert fail_payment(payment_id=payment.pk, status=PaymentStatus.FAILED, reason="declined")
    assert not complete_payment(actor=Actor.system(), payment_id=payment.pk)
    assert _balance(cast) == 3000


@pytest.mark.django_db
def test_refunds_and_adjustments_change_the_balance_exactly(cast: Cast) -> None:
    bill = Actor(user=cast.billing, acting_as="staff")
    post_manual_charge(
        actor=bill, patient=cast.patient, service_date=DAY, description="Visit", amount_cents=3000
    )
    payment = _payment(cast, 3000)
    complete_payment(actor=Actor.system(), payment_id=payment.pk)
    assert _balance(cast) == 0
    record_refund(actor=bill, payment=payment, amount_cents=1000, reason="Charged twice")
    assert _balance(cast) == 1000
    with pytest.raises(ValidationError):
        record_refund(actor=bill, payment=payment, amount_cents=2001, reason="Again")
    post_adjustment(actor=bill, patient=cast.patient, amount_cents=-1000, reason="Courtesy")
    assert _balance(cast) == 0
    with pytest.raises(ValidationError):
        post_adjustment(actor=bill, patient=cast.patient, amount_cents=-1, reason="Too far")
    assert _balance(cast) == 0


@pytest.mark.django_db
def test_a_statement_number_already_taken_is_drawn_again(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carebridge.billing.models import ledger

    drawn = iter(["1111111111", "1111111111", "2222222222"])
    monkeypatch.setattr(ledger, "new_statement_number", lambda: next(drawn))
    bill = Actor(user=cast.billing, acting_as="staff")
    post_manual_charge(
        actor=bill, patient=cast.patient, service_date=DAY, description="Visit", amount_cents=3000
    )
    first = issue_statement(actor=bill, patient=cast.patient, due_days=30)
    post_manual_charge(
        actor=bill, patient=cast.patient, service_date=DAY, description="Lab", amount_cents=100
    )
    second = issue_statement(actor=bill, patient=cast.patient, due_days=30)
    assert first is not None and second is not None
    assert (first.number, second.number) == ("1111111111", "2222222222")
