"""Pat's bills for the billing pages' tests, with every amount written down.

Two visits billed on statement S (issued 2 November 2026, due 2 December 2026):

- 5 October 2026, Dr Ada Lovelace at Main Street: an office visit (billed $109.00, insurance
  paid $84.00, Pat owes $25.00) and a blood test (billed $45.00, insurance paid $30.00, $5.00
  taken off, Pat owes $10.00). The visit: Pat owes $35.00.
- 20 October 2026, Dr Grace Hopper at Elm Road: an X-ray (billed $120.00, insurance paid $90.00,
  $10.00 taken off, Pat owes $20.00), and a follow-up still with insurance (billed $150.00).

The statement asks for $55.00. Pat paid $20.00 of it online (receipt R000000001) on
5 November; $35.00 is left. A charge of $15.00 for a copy of records, posted on 10 November,
is not on a statement yet. Balance: $55.00 - $20.00 + $15.00 = $50.00.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from carebridge.billing.models import (
    ChargeSource,
    ChargeStatus,
    Method,
    PayerKind,
    Payment,
    PaymentStatus,
    Provider,
    Statement,
)
from carebridge.billing.services.charges import (
    ChargeLine,
    issue_statement,
    post_manual_charge,
    sync_charge_lines,
)
from carebridge.billing.services.payments import complete_payment
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient

UTC = datetime.UTC
# The day the tests look at the pages: 12 November 2026, noon at the clinic (New York).
TODAY = datetime.datetime(2026, 11, 12, 17, 0, tzinfo=UTC)
ISSUED = datetime.datetime(2026, 11, 2, 17, 0, tzinfo=UTC)
PAID = datetime.datetime(2026, 11, 5, 17, 0, tzinfo=UTC)


@dataclass(frozen=True)
class PatsBills:
    statement: Statement
    payment: Payment


def visit_lines(source_id: str = "eob-1") -> list[ChargeLine]:
    first = {"visit_key": "enc-1", "service_date": datetime.date(2026, 10, 5)}
    first |= {"clinician": "Dr Ada Lovelace", "place": "Main Street"}
    second = {"visit_key": "enc-2", "service_date": datetime.date(2026, 10, 20)}
    second |= {"clinician": "Dr Grace Hopper", "place": "Elm Road"}
    eob = {"source": ChargeSource.EOB, "source_id": source_id, "status": ChargeStatus.BILLED}
    return [
        ChargeLine(
            **eob,
            **first,
            line=1,
            description="Office visit",
            billed_cents=10900,
            insurance_paid_cents=8400,
            patient_cents=2500,
        ),
        ChargeLine(
            **eob,
            **first,
            line=2,
            description="Blood test",
            billed_cents=4500,
            insurance_paid_cents=3000,
            adjusted_cents=500,
            patient_cents=1000,
        ),
        ChargeLine(
            **eob,
            **second,
            line=3,
            description="X-ray",
            billed_cents=12000,
            insurance_paid_cents=9000,
            adjusted_cents=1000,
            patient_cents=2000,
        ),
        ChargeLine(
            source=ChargeSource.CLAIM,
            source_id=f"claim-{source_id}",
            status=ChargeStatus.WITH_INSURANCE,
            **second,
            line=1,
            description="Follow-up visit",
            billed_cents=15000,
        ),
    ]


def pay_online(
    patient: Patient,
    cents: int,
    *,
    when: datetime.datetime = PAID,
    statement: Statement | None = None,
    key: str = "pay-1",
    receipt: str = "R000000001",
    finish: bool = True,
) -> Payment:
    """A test-provider card payment, finished (succeeded) unless `finish` is False."""
    payment = Payment.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        statement=statement,
        amount_cents=cents,
        provider=Provider.TEST,
        method=Method.CARD_ONLINE,
        idempotency_key=key,
        payer_kind=PayerKind.PATIENT,
        receipt_number=receipt,
        created_at=when,
    )
    if finish:
        complete_payment(
            actor=Actor(user=None, acting_as="system", now=when), payment_id=payment.pk
        )
        payment.refresh_from_db()
    return payment


def make_pats_bills(
    patient: Patient, *, number: str = "1234567890", issued: datetime.datetime = ISSUED
) -> PatsBills:
    """Pat's statement, part-payment and unbilled charge, as the module docstring says.

    Pages compare due dates with the real today: their tests pass `issued` (the payment is
    three days later, the unbilled charge eight) as `recently()`, so the bill is never late."""
    system = Actor(user=None, acting_as="system", now=issued)
    sync_charge_lines(actor=system, patient=patient, lines=visit_lines())
    statement = issue_statement(actor=system, patient=patient, due_days=30)
    assert statement is not None
    Statement.objects.filter(pk=statement.pk).update(number=number)
    statement.refresh_from_db()
    payment = pay_online(patient, 2000, when=issued + datetime.timedelta(days=3))
    post_manual_charge(
        actor=Actor(user=None, acting_as="system", now=issued + datetime.timedelta(days=8)),
        patient=patient,
        service_date=datetime.date(2026, 11, 10),
        description="Copy of records",
        amount_cents=1500,
    )
    return PatsBills(statement=statement, payment=payment)


def recently() -> datetime.datetime:
    """Ten days ago, at noon UTC: a statement issued then is due in twenty days."""
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    return ten_days_ago.replace(hour=12, minute=0, second=0, microsecond=0)


def failed_payment(patient: Patient) -> Payment:
    payment = pay_online(patient, 5000, key="pay-2", receipt="R000000002", finish=False)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.FAILED)
    payment.refresh_from_db()
    return payment


def many_charges(patient: Patient, count: int) -> None:
    """`count` charges of $4.00 owed on one statement, `count` more still with insurance, and
    up to 8 payments of $1.00: for query budgets and paging."""
    system = Actor(user=None, acting_as="system", now=ISSUED)
    lines = [
        ChargeLine(
            source=ChargeSource.EOB,
            source_id="eob-many",
            line=number,
            visit_key=f"enc-{number % 3}",
            service_date=datetime.date(2026, 10, 1 + number % 28),
            description=f"Line {number}",
            status=ChargeStatus.BILLED,
            billed_cents=1000,
            insurance_paid_cents=600,
            patient_cents=400,
        )
        for number in range(1, count + 1)
    ]
    sync_charge_lines(actor=system, patient=patient, lines=lines)
    issue_statement(actor=system, patient=patient, due_days=30)
    sync_charge_lines(
        actor=system,
        patient=patient,
        lines=[
            ChargeLine(
                **{**line.__dict__, "source_id": "eob-later", "status": ChargeStatus.WITH_INSURANCE}
            )
            for line in lines
        ],
    )
    for number in range(1, min(count, 8) + 1):
        pay_online(patient, 100, key=f"k{number}", receipt=f"R{number:09d}")
