"""A provider's webhook: verified with the provider's own check, handled once per event.

The event's row (`WebhookEvent`, unique per provider and event id) is inserted in the same
transaction as the payment's change, so a replay, or the same event delivered twice at once,
finds it and changes nothing. Privacy: logs name the event and the payment's id, nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.db import IntegrityError, transaction

from carebridge.billing.models import Payment, PaymentStatus, WebhookEvent
from carebridge.billing.providers import PROVIDERS, SignatureError, WebhookOutcome, provider_for
from carebridge.billing.services.checkout import EXPIRED_REASON
from carebridge.billing.services.payments import complete_payment, fail_payment
from carebridge.core.actor import Actor

logger = logging.getLogger(__name__)

_FAILED_STATUSES = {"failed": PaymentStatus.FAILED, "cancelled": PaymentStatus.CANCELLED}


def handle_webhook(provider_name: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Verify and act on one webhook delivery. Returns False for a replay (already handled).

    Raises SignatureError (answered 400, nothing changed) for an unknown provider or a
    signature that does not verify. A succeeded checkout completes its payment (the ledger,
    instalments and receipt: `complete_payment`, audited as the system); a failed or cancelled
    one fails it; events about no payment of ours are recorded and otherwise ignored.
    """
    if provider_name not in PROVIDERS:
        raise SignatureError("unknown provider")
    outcome = provider_for(provider_name).parse_webhook(body, headers)
    with transaction.atomic():
        try:
            # Its own savepoint, so that only this insert's refusal means "already handled";
            # a delivery at the same moment waits here until the first one commits.
            with transaction.atomic():
                WebhookEvent.objects.create(
                    provider=provider_name,
                    event_id=outcome.event_id,
                    event_type=outcome.event_type,
                )
        except IntegrityError:
            logger.info("webhook %s %s: already handled", provider_name, outcome.event_id)
            return False
        _act_on(provider_name, outcome)
    return True


def _act_on(provider_name: str, outcome: WebhookOutcome) -> None:
    if not outcome.outcome or not outcome.reference:
        return
    payment = Payment.objects.filter(
        provider=provider_name, provider_reference=outcome.reference
    ).first()
    if payment is None:
        logger.warning("webhook %s %s: no such checkout", provider_name, outcome.event_id)
        return
    if outcome.outcome == "succeeded":
        _revive_if_expired(payment)
        complete_payment(
            actor=Actor.system(),
            payment_id=payment.pk,
            provider_payment_id=outcome.provider_payment_id,
        )
        return
    fail_payment(
        payment_id=payment.pk,
        status=_FAILED_STATUSES[outcome.outcome],
        reason=outcome.failure_reason or outcome.outcome,
    )


def _revive_if_expired(payment: Payment) -> None:
    """A payment Carebridge gave up as expired that the provider says was paid after all (its
    webhook came late) is pending again, so the money taken is recorded."""
    Payment.objects.filter(
        pk=payment.pk, status=PaymentStatus.CANCELLED, failure_reason=EXPIRED_REASON
    ).update(status=PaymentStatus.PENDING, failure_reason="")
