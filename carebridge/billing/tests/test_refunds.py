"""Refunds through the provider that took the payment: the test provider's own reference, and
Stripe's refund of the payment intent (sent to a local stand-in for Stripe's API).

Cast: Pat paid $60.00 online; billing staff Bill gives part of it back with a reason.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from carebridge.billing.models import Method, PayerKind, Payment, Provider, Refund
from carebridge.billing.services.payments import complete_payment
from carebridge.billing.services.refunds import refund_payment
from carebridge.billing.tests.paying import balance, bill, money_state
from carebridge.billing.tests.stripe_server import fake_stripe
from carebridge.core.actor import Actor
from carebridge.testing.personas import Cast


def _paid(cast: Cast, provider: Provider) -> Payment:
    bill(cast.patient, 6000)
    payment = Payment.objects.create(
        clinic=cast.clinic,
        patient=cast.patient,
        amount_cents=6000,
        provider=provider,
        method=Method.CARD_ONLINE,
        idempotency_key="refund-test-key-00001",
        payer_kind=PayerKind.PATIENT,
        provider_reference="cs_or_tp_1",
    )
    complete_payment(actor=Actor.system(), payment_id=payment.pk, provider_payment_id="pi_test_1")
    payment.refresh_from_db()
    return payment


def _bill(cast: Cast) -> Actor:
    return Actor(user=cast.billing, acting_as="staff")


@pytest.mark.django_db
def test_a_test_provider_refund_keeps_its_reference_and_raises_the_balance(cast: Cast) -> None:
    payment = _paid(cast, Provider.TEST)
    refund = refund_payment(actor=_bill(cast), payment=payment, amount_cents=1250, reason="Twice")
    assert refund.provider_reference.startswith("tpr_")
    assert (refund.amount_cents, refund.reason, balance(cast.patient)) == (1250, "Twice", 1250)


@pytest.mark.django_db
def test_a_stripe_refund_refunds_the_payment_intent_by_the_exact_amount(
    cast: Cast, settings: Any
) -> None:
    payment = _paid(cast, Provider.STRIPE)
    with fake_stripe() as stripe_api:
        settings.STRIPE_SECRET_KEY = "sk_test_carebridge"
        settings.STRIPE_API_BASE = stripe_api.base
        refund = refund_payment(
            actor=_bill(cast), payment=payment, amount_cents=2599, reason="Overcharged"
        )
    [sent] = stripe_api.requests
    assert (sent.path, sent.form) == (
        "/v1/refunds",
        {"payment_intent": "pi_test_1", "amount": "2599"},
    )
    assert refund.provider_reference == "re_test_1"
    assert balance(cast.patient) == 2599


@pytest.mark.django_db
def test_stripe_refusing_a_refund_records_nothing(cast: Cast, settings: Any) -> None:
    payment = _paid(cast, Provider.STRIPE)
    before = money_state(cast.patient)
    with fake_stripe() as stripe_api:
        stripe_api.failure = (400, {"error": {"type": "invalid_request_error", "message": "no"}})
        settings.STRIPE_SECRET_KEY = "sk_test_carebridge"
        settings.STRIPE_API_BASE = stripe_api.base
        with pytest.raises(ValidationError) as refusal:
            refund_payment(actor=_bill(cast), payment=payment, amount_cents=100, reason="Why")
    assert refusal.value.messages == [
        "The card company did not accept the refund. Nothing was changed; try again."
    ]
    assert money_state(cast.patient) == before
    assert not Refund.objects.exists()
