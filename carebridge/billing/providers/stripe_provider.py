"""Stripe: a hosted Checkout Session per payment, refunds on its payment intent, and webhooks
verified with Stripe's own signature check (`stripe.Webhook.construct_event`).

The payer types their card on Stripe's page; Carebridge sends only the amount, the currency, a
neutral description ("Payment to <clinic>") and the payment's id. Privacy: no health
information, no visit details, no patient name reaches Stripe.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from carebridge.billing.providers.base import (
    Checkout,
    ProviderError,
    SignatureError,
    WebhookOutcome,
)

if TYPE_CHECKING:
    from carebridge.billing.models import Payment

SIGNATURE_HEADER = "Stripe-Signature"
# What each Checkout Session event means for the payment; other events change nothing.
_SESSION_OUTCOMES = {
    "checkout.session.async_payment_succeeded": "succeeded",
    "checkout.session.async_payment_failed": "failed",
    "checkout.session.expired": "cancelled",
}


class StripeProvider:
    """Card payments on Stripe's hosted Checkout page."""

    name = "stripe"

    def __init__(self, client: stripe.StripeClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> stripe.StripeClient:
        if self._client is None:
            # No automatic retries: a retry is the payer's next click, with the same key.
            base = settings.STRIPE_API_BASE
            self._client = stripe.StripeClient(
                settings.STRIPE_SECRET_KEY,
                base_addresses={"api": base} if base else None,
                max_network_retries=0,
            )
        return self._client

    def start_checkout(self, payment: Payment, *, success_url: str, cancel_url: str) -> Checkout:
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [{"quantity": 1, "price_data": _price_data(payment)}],
            "client_reference_id": str(payment.pk),
            "metadata": {"payment_id": str(payment.pk), "receipt": payment.receipt_number},
            "success_url": success_url,
            "cancel_url": cancel_url,
            # Stripe allows 30 minutes at the least; Carebridge gives the payment up a little later.
            "expires_at": int(payment.created_at.timestamp())
            + max(settings.CAREBRIDGE_CHECKOUT_MINUTES, 30) * 60
            + 60,
        }
        if payment.receipt_email:
            params["customer_email"] = payment.receipt_email
        try:
            session = self.client.v1.checkout.sessions.create(
                params,  # type: ignore[arg-type]
                {"idempotency_key": payment.idempotency_key},
            )
        except stripe.StripeError as error:
            raise ProviderError(f"stripe checkout: {type(error).__name__}") from error
        if not session.id or not session.url:
            raise ProviderError("stripe checkout: no session id or url")
        return Checkout(reference=session.id, redirect_url=session.url)

    def refund(self, payment: Payment, *, amount_cents: int) -> str:
        if not payment.provider_payment_id:
            raise ProviderError("stripe refund: the payment has no payment intent")
        params = {"payment_intent": payment.provider_payment_id, "amount": amount_cents}
        try:
            refund = self.client.v1.refunds.create(params)  # type: ignore[arg-type]
        except stripe.StripeError as error:
            raise ProviderError(f"stripe refund: {type(error).__name__}") from error
        return str(refund.id)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookOutcome:
        try:
            event = stripe.Webhook.construct_event(
                body, headers.get(SIGNATURE_HEADER, ""), settings.STRIPE_WEBHOOK_SECRET
            )
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise SignatureError(type(error).__name__) from error
        read = event.to_dict()
        session = (read.get("data") or {}).get("object") or {}
        return _outcome(str(read.get("id", "")), str(read.get("type", "")), session)


def _price_data(payment: Payment) -> dict[str, Any]:
    return {
        "currency": payment.currency.lower(),
        "unit_amount": payment.amount_cents,
        "product_data": {
            "name": _("Payment to %(clinic)s") % {"clinic": payment.clinic.name},
        },
    }


def _outcome(event_id: str, event_type: str, session: dict[str, Any]) -> WebhookOutcome:
    """What a Checkout Session event says; any other event is acknowledged and changes nothing.
    A completed session is paid only when its payment_status says "paid" (a bank debit completes
    first and pays later, in `async_payment_succeeded`)."""
    if not event_type.startswith("checkout.session."):
        return WebhookOutcome(event_id=event_id, event_type=event_type)
    outcome = _SESSION_OUTCOMES.get(event_type, "")
    if event_type == "checkout.session.completed" and session.get("payment_status") == "paid":
        outcome = "succeeded"
    return WebhookOutcome(
        event_id=event_id,
        event_type=event_type,
        reference=str(session.get("id") or ""),
        outcome=outcome,
        provider_payment_id=str(session.get("payment_intent") or ""),
        failure_reason="declined by the card company" if outcome == "failed" else "",
    )
