"""Stripe, without the internet: the real stripe library talks to a local stand-in for Stripe's
API (see `stripe_server`), and webhooks are signed exactly as Stripe signs them.

Cast: Pat owes $125.00 and pays through Stripe Checkout.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from carebridge.billing.models import PayerKind, Payment, PaymentStatus, Statement, WebhookEvent
from carebridge.billing.services.checkout import StartedPayment, start_payment
from carebridge.billing.tests.paying import balance, bill, money_state, post_webhook, stripe_event
from carebridge.billing.tests.stripe_server import SESSION, FakeStripe, fake_stripe
from carebridge.core.actor import Actor
from carebridge.testing.personas import Cast

SECRET = "whsec_test_carebridge"
KEY = "double-click-key-0001"


@pytest.fixture
def stripe_api(settings: Any) -> Iterator[FakeStripe]:
    with fake_stripe() as fake:
        settings.CAREBRIDGE_PAYMENT_PROVIDER = "stripe"
        settings.STRIPE_SECRET_KEY = "sk_test_carebridge"
        settings.STRIPE_WEBHOOK_SECRET = SECRET
        settings.STRIPE_API_BASE = fake.base
        yield fake


@pytest.fixture
def statement(cast: Cast) -> Statement:
    return bill(cast.patient, 12500)


def _start(cast: Cast, statement: Statement, cents: int = 2510) -> StartedPayment:
    return start_payment(
        actor=Actor(user=cast.patient_user, acting_as="self"),
        patient=cast.patient,
        amount_cents=cents,
        statement=statement,
        idempotency_key=KEY,
        payer_kind=PayerKind.PATIENT,
        receipt_email="pat@example.org",
        return_urls=lambda payment: (
            f"https://portal.test/ok/{payment.pk}",
            "https://portal.test/no",
        ),
    )


@pytest.mark.django_db
def test_a_checkout_session_is_created_with_the_exact_amount_and_the_payments_key(
    cast: Cast, statement: Statement, stripe_api: FakeStripe
) -> None:
    started = _start(cast, statement)
    payment = started.payment
    assert started.redirect_url == SESSION["url"]
    payment.refresh_from_db()
    assert (payment.provider, payment.provider_reference) == ("stripe", "cs_test_a1")
    [sent] = stripe_api.requests
    assert (sent.method, sent.path) == ("POST", "/v1/checkout/sessions")
    assert sent.headers["idempotency-key"] == KEY
    assert sent.headers["authorization"] == "Bearer sk_test_carebridge"
    form = sent.form
    assert form["mode"] == "payment"
    assert form["line_items[0][price_data][unit_amount]"] == "2510"
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert (
        form["line_items[0][price_data][product_data][name]"]
        == "Payment to Riverside Family Clinic"
    )
    assert form["line_items[0][quantity]"] == "1"
    assert form["client_reference_id"] == str(payment.pk)
    assert form["metadata[payment_id]"] == str(payment.pk)
    assert form["success_url"] == f"https://portal.test/ok/{payment.pk}"
    assert form["cancel_url"] == "https://portal.test/no"
    assert form["customer_email"] == "pat@example.org"
    # Nothing about the visit or the patient's health reaches Stripe.
    assert "Office visit" not in str(form) and "Pat" not in str(form)


@pytest.mark.django_db
def test_stripe_refusing_fails_the_payment_and_tells_the_payer_nothing_was_charged(
    cast: Cast, statement: Statement, stripe_api: FakeStripe
) -> None:
    stripe_api.failure = (400, {"error": {"type": "invalid_request_error", "message": "bad"}})
    with pytest.raises(ValidationError) as refusal:
        _start(cast, statement)
    assert refusal.value.messages == [
        "We could not reach the card company. You have not been charged. Please try again."
    ]
    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert balance(cast.patient) == 12500


@pytest.mark.django_db
def test_stripe_out_of_reach_fails_the_payment(
    cast: Cast, statement: Statement, settings: Any
) -> None:
    settings.CAREBRIDGE_PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_carebridge"
    with fake_stripe() as gone:
        settings.STRIPE_API_BASE = gone.base
    with pytest.raises(ValidationError):
        _start(cast, statement)
    assert Payment.objects.get().status == PaymentStatus.FAILED


def _session(**fields: object) -> dict[str, object]:
    return {"id": "cs_test_a1", "payment_intent": "pi_test_1", "payment_status": "paid"} | fields


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("event_type", "session", "status", "owed"),
    [
        ("checkout.session.completed", _session(), PaymentStatus.SUCCEEDED, 9990),
        (
            "checkout.session.completed",
            _session(payment_status="unpaid"),
            PaymentStatus.PENDING,
            12500,
        ),
        ("checkout.session.async_payment_succeeded", _session(), PaymentStatus.SUCCEEDED, 9990),
        (
            "checkout.session.async_payment_failed",
            _session(payment_status="unpaid"),
            PaymentStatus.FAILED,
            12500,
        ),
        (
            "checkout.session.expired",
            _session(payment_status="unpaid"),
            PaymentStatus.CANCELLED,
            12500,
        ),
        ("payment_intent.created", _session(object="payment_intent"), PaymentStatus.PENDING, 12500),
    ],
)
def test_each_stripe_event_does_what_it_says(
    cast: Cast,
    statement: Statement,
    stripe_api: FakeStripe,
    client: Client,
    event_type: str,
    session: dict[str, object],
    status: PaymentStatus,
    owed: int,
) -> None:
    payment = _start(cast, statement).payment
    body, headers = stripe_event(event_type, session, secret=SECRET)
    assert post_webhook(client, "stripe", body, headers) == 200
    payment.refresh_from_db()
    assert (payment.status, balance(cast.patient)) == (status, owed)
    assert WebhookEvent.objects.filter(provider="stripe", event_type=event_type).count() == 1
    if status == PaymentStatus.SUCCEEDED:
        assert payment.provider_payment_id == "pi_test_1"


@pytest.mark.django_db
def test_a_replayed_stripe_event_is_a_200_that_changes_nothing(
    cast: Cast, statement: Statement, stripe_api: FakeStripe, client: Client
) -> None:
    _start(cast, statement)
    body, headers = stripe_event("checkout.session.completed", _session(), secret=SECRET)
    assert post_webhook(client, "stripe", body, headers) == 200
    after_first = money_state(cast.patient)
    assert post_webhook(client, "stripe", body, headers) == 200
    assert money_state(cast.patient) == after_first == (9990, 2, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("secret", "age_seconds"),
    [("whsec_someone_else", 0), (SECRET, 301), (SECRET, 3600)],
    ids=["wrong-secret", "just-too-old", "an-hour-old"],
)
def test_a_bad_signature_or_an_old_timestamp_is_400_and_changes_nothing(
    cast: Cast,
    statement: Statement,
    stripe_api: FakeStripe,
    client: Client,
    secret: str,
    age_seconds: int,
) -> None:
    _start(cast, statement)
    before = money_state(cast.patient)
    body, headers = stripe_event(
        "checkout.session.completed", _session(), secret=secret, age_seconds=age_seconds
    )
    assert post_webhook(client, "stripe", body, headers) == 400
    assert money_state(cast.patient) == before
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_a_missing_signature_is_400(client: Client, stripe_api: FakeStripe) -> None:
    body, _headers = stripe_event("checkout.session.completed", _session(), secret=SECRET)
    assert post_webhook(client, "stripe", body, {}) == 400
    assert not WebhookEvent.objects.exists()
