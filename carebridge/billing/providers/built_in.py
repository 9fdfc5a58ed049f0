"""The built-in test provider: a hosted page of our own that charges nothing and calls nothing
outside, for the demo, development and the tests.

It behaves like a real provider so that the same code paths run: the checkout's address is our
own `billing:test-provider` page; the page posts a signed event to the webhook handler, signed
with `CAREBRIDGE_TEST_PROVIDER_SECRET` in Stripe's scheme (`t=<unix time>,v1=<HMAC-SHA256 of
"<t>.<body>">`), and verified with the stripe library's own check.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING

import stripe
from django.conf import settings
from django.urls import reverse

from carebridge.billing.providers.base import Checkout, SignatureError, WebhookOutcome

if TYPE_CHECKING:
    from carebridge.billing.models import Payment

SIGNATURE_HEADER = "Carebridge-Signature"
# Events older (or newer) than this many seconds are refused, as Stripe's library does.
TOLERANCE_SECONDS = 300
# The test cards: the first pays, the second is declined. Any other number is "not a test card".
PAYING_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
SUCCEEDED = "payment.succeeded"
FAILED = "payment.failed"
CANCELLED = "payment.cancelled"
_OUTCOMES = {SUCCEEDED: "succeeded", FAILED: "failed", CANCELLED: "cancelled"}


def signing_secret() -> str:
    """The configured secret, or one derived from SECRET_KEY (so development needs nothing set)."""
    configured: str = settings.CAREBRIDGE_TEST_PROVIDER_SECRET
    if configured:
        return configured
    derived = hmac.new(settings.SECRET_KEY.encode(), b"carebridge-test-provider", hashlib.sha256)
    return derived.hexdigest()


def event_body(event_type: str, reference: str) -> bytes:
    """The body of a test provider event about one checkout (its signature: `sign`)."""
    event = {
        "id": "tpe_" + secrets.token_hex(12),
        "type": event_type,
        "data": {"reference": reference, "payment_id": "tpp_" + secrets.token_hex(8)},
    }
    return json.dumps(event).encode()


def sign(body: bytes, *, timestamp: int | None = None) -> str:
    """The signature header for `body`, as Stripe signs its webhooks."""
    return stripe.WebhookSignature.generate_signature_header(
        body.decode(), signing_secret(), timestamp=timestamp
    )


class BuiltInProvider:
    """Payments through our own test page. Privacy: the page shows only amount and clinic."""

    name = "test"
    # Not a test class, whatever pytest's naming rule says.
    __test__ = False

    def start_checkout(self, payment: Payment, *, success_url: str, cancel_url: str) -> Checkout:
        # Unguessable, and the same for the same payment (as Stripe answers a repeated request
        # with the same idempotency key with the same session), so a double-click's second
        # request is sent to the same page.
        digest = hmac.new(signing_secret().encode(), str(payment.pk).encode(), hashlib.sha256)
        reference = "tp_" + digest.hexdigest()[:32]
        return Checkout(
            reference=reference,
            redirect_url=reverse("billing:test-provider", args=[reference]),
        )

    def refund(self, payment: Payment, *, amount_cents: int) -> str:
        return "tpr_" + secrets.token_urlsafe(12)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookOutcome:
        header = headers.get(SIGNATURE_HEADER, "")
        try:
            stripe.WebhookSignature.verify_header(body, header, signing_secret(), TOLERANCE_SECONDS)
            event = json.loads(body)
            event_id, event_type = str(event["id"]), str(event["type"])
            data = event.get("data") or {}
        except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError) as error:
            raise SignatureError(type(error).__name__) from error
        return WebhookOutcome(
            event_id=event_id,
            event_type=event_type,
            reference=str(data.get("reference", "")),
            outcome=_OUTCOMES.get(event_type, ""),
            provider_payment_id=str(data.get("payment_id", "")),
            failure_reason="card declined" if event_type == FAILED else "",
        )
