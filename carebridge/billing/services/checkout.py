"""Starting an online payment: the pending `Payment`, then the provider's hosted page.

The amount is checked with the patient's account locked, against what is owed (the statement
paid, and the whole balance) less the payments still being made, so two tabs cannot both pay the
same balance; the Pay form's idempotency key makes a double-click one payment. The provider is
asked only after the pending payment is committed (never inside the lock): when it cannot be
reached, the payment is marked failed and the payer is told plainly that nothing was charged.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.billing.models import Method, PayerKind, Payment, PaymentStatus, Statement
from carebridge.billing.money import format_cents
from carebridge.billing.providers import ProviderError, online_provider
from carebridge.billing.services.ledger import audit_money_event, lock_account, statement_balances
from carebridge.billing.services.payments import fail_payment

if TYPE_CHECKING:
    from carebridge.billing.models import PaymentQuerySet
    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient

logger = logging.getLogger(__name__)

# Why a pending payment was given up: its checkout page expired before the payer finished.
EXPIRED_REASON = "checkout expired"
UNREACHABLE_REASON = "provider unreachable"
# (success URL, cancel URL) for a payment: the pages the provider sends the payer back to.
ReturnUrls = Callable[[Payment], tuple[str, str]]


def provider_unreachable_words() -> str:
    return _("We could not reach the card company. You have not been charged. Please try again.")


@dataclass(frozen=True)
class StartedPayment:
    payment: Payment
    # Where to send the payer: the provider's page, or (for a payment already finished) ours.
    redirect_url: str


def checkout_lifetime() -> datetime.timedelta:
    """How long a provider's checkout page lives (Stripe's session is told to expire then)."""
    return datetime.timedelta(minutes=settings.CAREBRIDGE_CHECKOUT_MINUTES)


def stale_after() -> datetime.timedelta:
    """A payment pending this long is given up: the page's lifetime and a few minutes more, so
    that a payment finished at the last moment is not given up before its webhook arrives."""
    return checkout_lifetime() + datetime.timedelta(minutes=5)


def start_payment(
    *,
    actor: Actor,
    patient: Patient,
    amount_cents: int,
    statement: Statement | None,
    idempotency_key: str,
    payer_kind: PayerKind,
    receipt_email: str,
    return_urls: ReturnUrls,
) -> StartedPayment:
    """Start paying `amount_cents` of the patient's balance (or of `statement`) online.

    A second call with the same key (a double-click) returns the same payment. Raises
    ValidationError with a plain sentence when the amount is not payable, and when the provider
    cannot be reached (the payment is then failed; nothing is charged). Audit:
    "billing_checkout" created, against the patient, as whom the actor acts (a guest too).
    """
    payment = _pending_payment(
        actor=actor,
        patient=patient,
        amount_cents=amount_cents,
        statement=statement,
        idempotency_key=idempotency_key,
        payer_kind=payer_kind,
        receipt_email=receipt_email,
    )
    success_url, cancel_url = return_urls(payment)
    if payment.status != PaymentStatus.PENDING:
        return StartedPayment(payment=payment, redirect_url=success_url)
    return StartedPayment(payment=payment, redirect_url=_checkout(payment, success_url, cancel_url))


def payable_cents(patient: Patient, *, statement: Statement | None, now: datetime.datetime) -> int:
    """The most that may be paid now: what is owed (on `statement`, and on the whole balance)
    less what payments still being made will pay. Call with the account locked to rely on it."""
    balances = statement_balances(patient)
    balance = sum(balances.values())
    pending = Payment.objects.pending().filter(patient=patient, created_at__gte=now - stale_after())
    most = balance - _total(pending)
    if statement is not None:
        on_statement = pending.filter(statement=statement)
        most = min(most, balances.get(statement.pk, 0) - _total(on_statement))
    return max(most, 0)


def expire_stale_payments(patient: Patient, *, now: datetime.datetime) -> int:
    """Give up the patient's payments pending longer than a checkout page lives (the payer left
    the provider's page); their amounts may be paid again. Returns how many."""
    stale = Payment.objects.pending().filter(patient=patient, created_at__lt=now - stale_after())
    return sum(
        fail_payment(payment_id=pk, status=PaymentStatus.CANCELLED, reason=EXPIRED_REASON)
        for pk in stale.values_list("pk", flat=True)
    )


def _pending_payment(
    *,
    actor: Actor,
    patient: Patient,
    amount_cents: int,
    statement: Statement | None,
    idempotency_key: str,
    payer_kind: PayerKind,
    receipt_email: str,
) -> Payment:
    if statement is not None and statement.patient_id != patient.pk:
        raise ValidationError(_("This bill could not be found."))
    with transaction.atomic():
        account = lock_account(patient)
        existing = Payment.objects.filter(patient=patient, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        expire_stale_payments(patient, now=actor.now)
        _check_amount(amount_cents, payable_cents(patient, statement=statement, now=actor.now))
        payment = Payment.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            statement=statement,
            amount_cents=amount_cents,
            currency=account.currency,
            provider=online_provider().name,
            method=Method.CARD_ONLINE,
            idempotency_key=idempotency_key,
            payer_kind=payer_kind,
            payer=actor.user,
            receipt_email=receipt_email,
            created_at=actor.now,
        )
        _audit_start(actor, payment)
    return payment


def _check_amount(amount_cents: int, most: int) -> None:
    if most <= 0:
        raise ValidationError(
            _(
                "There is nothing left to pay here, or a payment for it is already being made. "
                "If you left a payment page open, finish it there, or try again in %(minutes)s "
                "minutes."
            )
            % {"minutes": settings.CAREBRIDGE_CHECKOUT_MINUTES}
        )
    if amount_cents <= 0 or amount_cents > most:
        raise ValidationError(
            _("Enter an amount from $0.01 to %(most)s.") % {"most": format_cents(most)}
        )


def _audit_start(actor: Actor, payment: Payment) -> None:
    audit_money_event(
        actor,
        payment.patient,
        action=AuditAction.CREATE,
        object_type="billing_checkout",
        object_id=payment.pk,
    )


def _checkout(payment: Payment, success_url: str, cancel_url: str) -> str:
    """Ask the provider for its page, outside any transaction; store its checkout's id."""
    provider = online_provider()
    try:
        checkout = provider.start_checkout(payment, success_url=success_url, cancel_url=cancel_url)
    except ProviderError as error:
        logger.warning("payment %s: %s", payment.pk, error)
        fail_payment(payment_id=payment.pk, status=PaymentStatus.FAILED, reason=UNREACHABLE_REASON)
        raise ValidationError(provider_unreachable_words()) from error
    # A double-click's second request gets the same checkout (the providers answer the same
    # payment with the same checkout), so only the first stores it.
    Payment.objects.filter(pk=payment.pk, provider_reference="").update(
        provider_reference=checkout.reference
    )
    return checkout.redirect_url


def _total(payments: PaymentQuerySet) -> int:
    total = payments.aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)
