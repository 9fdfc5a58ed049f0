"""The webhook handler with the test provider's events: verified, handled once, and a late
success after Carebridge gave a checkout up still recorded.

Cast: Pat owes $125.00 and has started paying it all.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from carebridge.billing.models import PayerKind, Payment, PaymentStatus, WebhookEvent
from carebridge.billing.providers import SignatureError, built_in
from carebridge.billing.services.checkout import expire_stale_payments, start_payment
from carebridge.billing.services.webhooks import handle_webhook
from carebridge.billing.tests.paying import (
    balance,
    bill,
    money_state,
    post_webhook,
    signed_test_event,
)
from carebridge.core.actor import Actor
from carebridge.testing.personas import Cast


@pytest.fixture
def payment(cast: Cast) -> Payment:
    bill(cast.patient, 12500)
    started = start_payment(
        actor=Actor(user=cast.patient_user, acting_as="self"),
        patient=cast.patient,
        amount_cents=12500,
        statement=None,
        idempotency_key="webhook-test-key-0001",
        payer_kind=PayerKind.PATIENT,
        receipt_email="pat@example.org",
        return_urls=lambda payment: ("/ok", "/no"),
    )
    started.payment.refresh_from_db()
    return started.payment


@pytest.mark.django_db
def test_a_signed_success_completes_the_payment_once_and_a_replay_is_a_200_no_op(
    cast: Cast, payment: Payment, client: Client
) -> None:
    body, headers = signed_test_event(built_in.SUCCEEDED, payment.provider_reference)
    assert post_webhook(client, "test", body, headers) == 200
    assert money_state(cast.patient) == (0, 2, 1)
    assert post_webhook(client, "test", body, headers) == 200
    assert money_state(cast.patient) == (0, 2, 1)
    assert WebhookEvent.objects.count() == 1
    assert not handle_webhook("test", body, headers)


@pytest.mark.django_db
def test_a_second_event_about_a_finished_payment_changes_nothing(
    cast: Cast, payment: Payment, client: Client
) -> None:
    for event_type in (built_in.SUCCEEDED, built_in.FAILED, built_in.SUCCEEDED):
        body, headers = signed_test_event(event_type, payment.provider_reference)
        assert post_webhook(client, "test", body, headers) == 200
    payment.refresh_from_db()
    assert (payment.status, balance(cast.patient)) == (PaymentStatus.SUCCEEDED, 0)
    assert WebhookEvent.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("age_seconds", [301, 86400], ids=["just-too-old", "a-day-old"])
def test_an_old_event_is_400_and_changes_nothing(
    cast: Cast, payment: Payment, client: Client, age_seconds: int
) -> None:
    before = money_state(cast.patient)
    body, headers = signed_test_event(
        built_in.SUCCEEDED, payment.provider_reference, age_seconds=age_seconds
    )
    assert post_webhook(client, "test", body, headers) == 400
    assert money_state(cast.patient) == before
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_a_forged_or_changed_event_is_400_and_changes_nothing(
    cast: Cast, payment: Payment, client: Client
) -> None:
    before = money_state(cast.patient)
    body, headers = signed_test_event(built_in.FAILED, payment.provider_reference)
    changed = body.replace(b"payment.failed", b"payment.succeeded")
    assert post_webhook(client, "test", changed, headers) == 400
    assert post_webhook(client, "test", body, {}) == 400
    assert post_webhook(client, "test", body, {"Carebridge-Signature": "t=1,v1=00"}) == 400
    assert post_webhook(client, "test", b"not json", headers) == 400
    assert post_webhook(client, "nobody", body, headers) == 400
    assert money_state(cast.patient) == before
    assert not WebhookEvent.objects.exists()
    with pytest.raises(SignatureError):
        handle_webhook("nobody", body, headers)


@pytest.mark.django_db
def test_an_event_about_no_checkout_of_ours_is_acknowledged(cast: Cast, client: Client) -> None:
    body, headers = signed_test_event(built_in.SUCCEEDED, "tp_unknown")
    assert post_webhook(client, "test", body, headers) == 200
    assert WebhookEvent.objects.count() == 1
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_a_success_that_arrives_after_the_checkout_was_given_up_is_still_recorded(
    cast: Cast, payment: Payment, client: Client
) -> None:
    later = payment.created_at + datetime.timedelta(minutes=36)
    assert expire_stale_payments(cast.patient, now=later) == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    body, headers = signed_test_event(built_in.SUCCEEDED, payment.provider_reference)
    assert post_webhook(client, "test", body, headers) == 200
    payment.refresh_from_db()
    assert (payment.status, balance(cast.patient)) == (PaymentStatus.SUCCEEDED, 0)
