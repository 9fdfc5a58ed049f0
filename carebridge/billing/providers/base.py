"""The payment-provider interface: what Carebridge asks of whoever takes the card.

Card numbers never reach Carebridge: `start_checkout` returns the address of the provider's
hosted page, the payer types their card there, and the provider tells us the outcome through a
signed webhook (and the payer's return, which only shows the result we already have or waits
for it). Two implementations: Stripe (`stripe_provider`) and the built-in test provider
(`built_in`), which calls nothing outside and is what the demo and the tests use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from carebridge.billing.models import Payment


class ProviderError(Exception):
    """The provider could not be reached or refused the request; the message is for logs
    (no health information) and the payer is shown a plain sentence instead."""


class SignatureError(Exception):
    """A webhook whose signature does not verify: answered 400 and otherwise ignored."""


@dataclass(frozen=True)
class Checkout:
    # The provider's id for this checkout (stored as `Payment.provider_reference`).
    reference: str
    # Where to send the payer to type their card.
    redirect_url: str


@dataclass(frozen=True)
class WebhookOutcome:
    """What a verified webhook event says about one checkout."""

    event_id: str
    event_type: str
    # The checkout's reference; empty for events Carebridge does not act on.
    reference: str = ""
    # "succeeded", "failed", "cancelled", or "" for events that change nothing.
    outcome: str = ""
    provider_payment_id: str = ""
    failure_reason: str = ""


class PaymentProvider(Protocol):
    name: str

    def start_checkout(self, payment: Payment, *, success_url: str, cancel_url: str) -> Checkout:
        """Create the hosted checkout for a pending payment. Raises ProviderError."""
        ...

    def refund(self, payment: Payment, *, amount_cents: int) -> str:
        """Give back `amount_cents` of a succeeded payment; returns the provider's refund id.
        Raises ProviderError."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookOutcome:
        """Verify a webhook's signature with the provider's own check and read it. Raises
        SignatureError when it does not verify."""
        ...
