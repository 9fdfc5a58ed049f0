"""Money is recorded once however the clicks and deliveries arrive: a double-click on Pay, two
tabs paying the whole balance, the same webhook delivered twice. At the same moment on
PostgreSQL (each call on its own connection, as gunicorn's workers), one after the other on
any database.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from carebridge.billing.models import LedgerEntry, PayerKind, Payment, PaymentStatus
from carebridge.billing.providers import built_in
from carebridge.billing.services.checkout import StartedPayment, start_payment
from carebridge.billing.services.webhooks import handle_webhook
from carebridge.billing.tests.paying import balance, bill, signed_test_event
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient
from carebridge.testing import factories
from carebridge.testing.concurrency import at_the_same_moment, postgres_race

OWED = 6000
AT_ONCE = 4
BUSY = "There is nothing left to pay here, or a payment for it is already being made."


def _patient() -> Patient:
    clinic = factories.make_clinic(name="Race Clinic", slug="race")
    patient = factories.make_patient(clinic, user=factories.make_user(email="racer@example.org"))
    bill(patient, OWED)
    return patient


def _start(patient: Patient, key: str, cents: int = OWED) -> StartedPayment:
    return start_payment(
        actor=Actor(user=patient.user, acting_as="self"),
        patient=patient,
        amount_cents=cents,
        statement=None,
        idempotency_key=key,
        payer_kind=PayerKind.PATIENT,
        receipt_email="racer@example.org",
        return_urls=lambda payment: ("/ok", "/no"),
    )


def _one_payment_for_a_double_click(outcomes: list[Any]) -> None:
    assert all(isinstance(outcome, StartedPayment) for outcome in outcomes), outcomes
    assert len({outcome.payment.pk for outcome in outcomes}) == 1
    assert len({outcome.redirect_url for outcome in outcomes}) == 1
    payment = Payment.objects.get()
    assert (payment.status, payment.amount_cents) == (PaymentStatus.PENDING, OWED)


def _one_checkout_for_two_tabs(outcomes: list[Any]) -> None:
    started = [outcome for outcome in outcomes if isinstance(outcome, StartedPayment)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(started), len(refused)) == (1, len(outcomes) - 1), outcomes
    assert all(error.messages[0].startswith(BUSY) for error in refused)
    assert Payment.objects.get().amount_cents == OWED


def _one_ledger_entry_for_two_deliveries(outcomes: list[Any], patient: Patient) -> None:
    assert sorted(outcomes) == [False] * (len(outcomes) - 1) + [True], outcomes
    payments = LedgerEntry.objects.filter(patient=patient, kind="payment")
    assert list(payments.values_list("amount_cents", flat=True)) == [-OWED]
    assert balance(patient) == 0


@postgres_race("Concurrent clicks")
def test_a_double_click_at_the_same_moment_is_one_payment() -> None:
    patient = _patient()
    outcomes = at_the_same_moment(_start, [(patient, "same-key-000000000001")] * AT_ONCE)
    _one_payment_for_a_double_click(outcomes)


@postgres_race("Concurrent tabs")
def test_tabs_paying_the_whole_balance_at_once_make_one_checkout() -> None:
    patient = _patient()
    keys = [(patient, f"tab-key-{n:014d}") for n in range(AT_ONCE)]
    _one_checkout_for_two_tabs(at_the_same_moment(_start, keys))


@postgres_race("Concurrent deliveries")
def test_the_same_webhook_delivered_at_once_is_one_ledger_entry() -> None:
    patient = _patient()
    payment = _start(patient, "webhook-race-key-0001").payment
    payment.refresh_from_db()
    body, headers = signed_test_event(built_in.SUCCEEDED, payment.provider_reference)
    outcomes = at_the_same_moment(handle_webhook, [("test", body, headers)] * AT_ONCE)
    _one_ledger_entry_for_two_deliveries(outcomes, patient)


@pytest.mark.django_db
def test_a_double_click_one_after_the_other_is_one_payment() -> None:
    patient = _patient()
    _one_payment_for_a_double_click([_start(patient, "same-key-000000000001") for _ in range(2)])


@pytest.mark.django_db
def test_two_tabs_one_after_the_other_make_one_checkout() -> None:
    patient = _patient()
    outcomes: list[Any] = []
    for key in ("tab-key-00000000000001", "tab-key-00000000000002"):
        try:
            outcomes.append(_start(patient, key))
        except ValidationError as refusal:
            outcomes.append(refusal)
    _one_checkout_for_two_tabs(outcomes)


@pytest.mark.django_db
def test_the_same_webhook_delivered_twice_is_one_ledger_entry() -> None:
    patient = _patient()
    payment = _start(patient, "webhook-race-key-0001").payment
    payment.refresh_from_db()
    body, headers = signed_test_event(built_in.SUCCEEDED, payment.provider_reference)
    outcomes = [handle_webhook("test", body, headers) for _ in range(2)]
    _one_ledger_entry_for_two_deliveries(outcomes, patient)
