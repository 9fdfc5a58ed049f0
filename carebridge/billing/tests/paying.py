"""Shared steps for the paying tests: a bill for a patient, the balance, a signed-in client."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import stripe
from django.test import Client
from django.urls import reverse

from carebridge.billing.models import BillingAccount, LedgerEntry, Payment, Statement
from carebridge.billing.providers import built_in
from carebridge.billing.services.charges import issue_statement, post_manual_charge
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient

DAY = datetime.date(2026, 11, 2)


def bill(patient: Patient, cents: int, description: str = "Office visit") -> Statement:
    """A statement of one manual charge of `cents`, issued by the billing office."""
    staff = Actor(user=None, acting_as="staff")
    post_manual_charge(
        actor=staff,
        patient=patient,
        service_date=DAY,
        description=description,
        amount_cents=cents,
    )
    statement = issue_statement(actor=staff, patient=patient, due_days=30)
    assert statement is not None
    return statement


def balance(patient: Patient) -> int:
    """The kept balance, checked against the sum of the ledger."""
    account = BillingAccount.objects.filter(patient=patient).first()
    entries = LedgerEntry.objects.filter(patient=patient).values_list("amount_cents", flat=True)
    kept = account.balance_cents if account else 0
    assert kept == sum(entries)
    return kept


def money_state(patient: Patient) -> tuple[int, int, int]:
    """Balance, ledger entries and payments: what a refused request must leave alone."""
    return (
        balance(patient),
        LedgerEntry.objects.filter(patient=patient).count(),
        Payment.objects.filter(patient=patient).count(),
    )


def pay_url(statement: Statement | None = None) -> str:
    base = reverse("billing:pay")
    return f"{base}?statement={statement.pk}" if statement else base


def signed_test_event(
    event_type: str, reference: str, *, age_seconds: int = 0
) -> tuple[bytes, dict[str, str]]:
    """A test provider event, signed as the test page signs it (optionally in the past)."""
    body = built_in.event_body(event_type, reference)
    signature = built_in.sign(body, timestamp=int(time.time()) - age_seconds)
    return body, {built_in.SIGNATURE_HEADER: signature}


def stripe_event(
    event_type: str, session: dict[str, Any], *, secret: str, age_seconds: int = 0
) -> tuple[bytes, dict[str, str]]:
    """A Stripe event about a Checkout Session, signed exactly as Stripe signs it."""
    event = {
        "id": f"evt_{event_type}_{session.get('id', '')}",
        "object": "event",
        "type": event_type,
        "data": {"object": {"object": "checkout.session", **session}},
    }
    body = json.dumps(event).encode()
    header = stripe.WebhookSignature.generate_signature_header(
        body.decode(), secret, timestamp=int(time.time()) - age_seconds
    )
    return body, {"Stripe-Signature": header}


def post_webhook(client: Client, provider: str, body: bytes, headers: dict[str, str]) -> int:
    extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    response = client.post(
        reverse("billing:webhook", args=[provider]),
        data=body,
        content_type="application/json",
        **extra,  # type: ignore[arg-type]
    )
    return response.status_code
