"""Finishing and refunding payments: the part every provider (online, test, the desk) shares.

A payment changes the balance once: `complete_payment` locks the patient's account and then
the payment row, and does nothing to a payment that is no longer pending, so a replayed
webhook, a second "return from the provider" and a worker retry are all no-ops.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from carebridge.accounts.languages import in_language_of_address
from carebridge.audit.models import AuditAction
from carebridge.billing.models import (
    EntryKind,
    Instalment,
    LedgerEntry,
    Payment,
    PaymentPlan,
    PaymentStatus,
    PlanStatus,
    Refund,
)
from carebridge.billing.money import format_cents
from carebridge.billing.services.ledger import (
    allocate,
    append_entry,
    audit_money_event,
    lock_account,
)
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import send_after_commit, sign_in_link

if TYPE_CHECKING:
    from carebridge.core.actor import Actor


def complete_payment(
    *, actor: Actor, payment_id: uuid.UUID | str, provider_payment_id: str = ""
) -> bool:
    """Record that a pending payment succeeded: file it against what is owed (the statement
    it pays, else the oldest first), pay the earliest instalments of an active plan, queue the
    receipt. Returns False, changing nothing, when the payment is not pending (already
    recorded, failed or cancelled). Audit: "billing_payment" created, against the patient.
    """
    with transaction.atomic():
        payment = Payment.objects.select_related("patient").get(pk=payment_id)
        account = lock_account(payment.patient)
        payment = Payment.objects.select_for_update().select_related("patient").get(pk=payment_id)
        if payment.status != PaymentStatus.PENDING:
            return False
        payment.status = PaymentStatus.SUCCEEDED
        payment.completed_at = actor.now
        payment.provider_payment_id = provider_payment_id or payment.provider_payment_id
        payment.save(update_fields=["status", "completed_at", "provider_payment_id"])
        for statement, cents in allocate(
            payment.amount_cents, payment.patient, statement=payment.statement
        ):
            append_entry(
                account,
                kind=EntryKind.PAYMENT,
                amount_cents=-cents,
                actor=actor,
                statement=statement,
                payment=payment,
            )
        _pay_instalments(payment)
        audit_money_event(
            actor,
            payment.patient,
            action=AuditAction.CREATE,
            object_type="billing_payment",
            object_id=payment.pk,
        )
        _queue_receipt(payment)
    return True


def fail_payment(*, payment_id: uuid.UUID | str, status: PaymentStatus, reason: str = "") -> bool:
    """Record that a pending payment was declined or cancelled: the balance does not change.
    Returns False when it was not pending."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.status != PaymentStatus.PENDING:
            return False
        payment.status = status
        payment.failure_reason = reason[:255]
        payment.save(update_fields=["status", "failure_reason"])
    return True


def _pay_instalments(payment: Payment) -> None:
    """Apply a payment to the earliest unpaid instalments of the patient's active plan; the
    plan is paid off when none is left."""
    plan = PaymentPlan.objects.filter(patient=payment.patient, status=PlanStatus.ACTIVE).first()
    if plan is None:
        return
    left = payment.amount_cents
    instalments = list(Instalment.objects.filter(plan=plan).order_by("number"))
    for instalment in instalments:
        part = min(left, instalment.left_cents)
        if part > 0:
            instalment.paid_cents += part
            instalment.save(update_fields=["paid_cents"])
            left -= part
    if not any(item.left_cents for item in instalments):
        plan.status = PlanStatus.COMPLETED
        plan.save(update_fields=["status"])


def _queue_receipt(payment: Payment) -> None:
    """The receipt e-mail: amount, receipt number, clinic, date. Privacy rule: no visit,
    no charge descriptions, no health information."""
    address = payment.receipt_email
    if not address:
        return
    clinic_name = payment.patient.clinic.name if payment.patient_id else ""
    # Often confirmed by the payment provider's webhook, with no page open: written in the
    # language of the account that reads the receipt address (else the request's).
    with in_language_of_address(address):
        send_after_commit(
            address,
            _("Your payment receipt"),
            [
                _("Thank you. %(clinic)s received your payment of %(amount)s.")
                % {"clinic": clinic_name, "amount": format_cents(payment.amount_cents)},
                _("Receipt number: %(number)s") % {"number": payment.receipt_number},
                _("To see your bills and receipts, sign in: %(link)s") % {"link": sign_in_link()},
            ],
            kind=NoticeKind.RECEIPT,
            clinic=payment.patient.clinic,
        )


def refundable_cents(payment: Payment) -> int:
    """What is left to refund on a payment: what was paid less what was refunded."""
    if payment.status != PaymentStatus.SUCCEEDED:
        return 0
    refunded = Refund.objects.filter(payment=payment).aggregate(total=Sum("amount_cents"))
    return payment.amount_cents - int(refunded["total"] or 0)


def record_refund(
    *, actor: Actor, payment: Payment, amount_cents: int, reason: str, provider_reference: str = ""
) -> Refund:
    """Record money given back on a payment (after the provider refunded it, for online
    payments): the balance goes up by the amount, on the statement the payment paid last.
    Audit: "billing_refund" created. Raises ValidationError for more than is refundable or no
    reason."""
    if not reason.strip():
        raise ValidationError(_("Say why the money is given back."))
    with transaction.atomic():
        account = lock_account(payment.patient)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        most = refundable_cents(payment)
        if amount_cents <= 0 or amount_cents > most:
            raise ValidationError(
                _("Enter an amount from $0.01 to %(most)s.") % {"most": format_cents(most)}
            )
        refund = Refund.objects.create(
            payment=payment,
            amount_cents=amount_cents,
            reason=reason.strip()[:255],
            provider_reference=provider_reference,
            refunded_by=actor.user,
            created_at=actor.now,
        )
        last = LedgerEntry.objects.filter(payment=payment).order_by("-id").first()
        append_entry(
            account,
            kind=EntryKind.REFUND,
            amount_cents=amount_cents,
            actor=actor,
            statement=last.statement if last else None,
            refund=refund,
            payment=payment,
            reason=refund.reason,
        )
        audit_money_event(
            actor,
            payment.patient,
            action=AuditAction.CREATE,
            object_type="billing_refund",
            object_id=refund.pk,
        )
    return refund
