"""Money on a patient's account for the billing console's tests, through the real services."""

from __future__ import annotations

import datetime

from carebridge.billing.models import Method, Payment
from carebridge.billing.services.charges import post_manual_charge
from carebridge.billing.services.desk import take_desk_payment
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient
from carebridge.testing.personas import Cast

PATIENT_PAGES = [
    "staff:billing-account",
    "staff:billing-charge",
    "staff:billing-desk-payment",
    "staff:billing-adjust",
    "staff:billing-send-statement",
]


def bill(cast: Cast) -> Actor:
    return Actor(user=cast.billing, acting_as="staff")


def charge(cast: Cast, patient: Patient, cents: int, what: str = "Office visit") -> None:
    post_manual_charge(
        actor=bill(cast),
        patient=patient,
        service_date=datetime.date(2026, 3, 2),
        description=what,
        amount_cents=cents,
    )


def owing_and_paid(cast: Cast, patient: Patient, *, owed: int = 12000, paid: int = 2500) -> Payment:
    """A charge of `owed` and a cash payment of `paid` at the desk."""
    charge(cast, patient, owed)
    return take_desk_payment(
        actor=bill(cast),
        patient=patient,
        amount_cents=paid,
        method=Method.CASH,
        reference="",
        idempotency_key=f"setup-{patient.pk}",
    )
