"""The billing office's writes that put other billing services together: a payment taken at
the desk, and a statement sent with its notice. Money changes only through the billing services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.accounts.languages import in_language_of_address
from carebridge.billing.models import Method, PayerKind, Payment, Provider, Statement
from carebridge.billing.money import format_cents
from carebridge.billing.selectors.rules import rules_for
from carebridge.billing.services.charges import issue_statement
from carebridge.billing.services.ledger import lock_account
from carebridge.billing.services.payments import complete_payment
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import send_after_commit, sign_in_link

if TYPE_CHECKING:
    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient


def take_desk_payment(
    *,
    actor: Actor,
    patient: Patient,
    amount_cents: int,
    method: Method,
    reference: str,
    idempotency_key: str,
    statement: Statement | None = None,
) -> Payment:
    """Record money taken at the desk (cash, a check, the card machine) and file it against
    `statement` when the payer brought one, else what is owed, oldest statement first; the
    receipt goes to the patient's address.

    The same form sent twice (its idempotency key) records one payment. Raises ValidationError
    for more than the balance. Audit: "billing_payment" created (`complete_payment`).
    """
    with transaction.atomic():
        account = lock_account(patient)
        existing = Payment.objects.filter(patient=patient, idempotency_key=idempotency_key)
        found = existing.first()
        if found is not None:
            return found
        if amount_cents > account.balance_cents:
            raise ValidationError(
                _("That is more than the balance of %(balance)s.")
                % {"balance": format_cents(account.balance_cents)}
            )
        payment = Payment.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            statement=statement,
            amount_cents=amount_cents,
            provider=Provider.DESK,
            method=method,
            desk_reference=reference[:100],
            idempotency_key=idempotency_key[:64],
            payer_kind=PayerKind.STAFF,
            payer=actor.user,
            receipt_email=patient.notice_address,
            created_at=actor.now,
        )
        complete_payment(actor=actor, payment_id=payment.pk)
    payment.refresh_from_db()
    return payment


def send_statement(*, actor: Actor, patient: Patient) -> Statement | None:
    """Issue a statement of what is not yet on one, due after the clinic's days to pay, and
    tell the patient through the outbox. None when nothing new is owed.

    Privacy rule: the notice names the clinic only, never an amount or a visit. Audit:
    "billing_statement" created (`issue_statement`).
    """
    with transaction.atomic():
        statement = issue_statement(
            actor=actor, patient=patient, due_days=rules_for(patient.clinic_id).statement_due_days
        )
        address = patient.notice_address
        if statement is not None and address:
            clinic = patient.clinic
            # Issued by the clinic's staff: in the patient's language, not theirs.
            with in_language_of_address(address):
                send_after_commit(
                    address,
                    _("You have a new statement"),
                    [
                        _("You have a new statement from %(clinic)s. Sign in to see it: %(link)s")
                        % {"clinic": clinic.name, "link": sign_in_link()}
                    ],
                    kind=NoticeKind.BILL,
                    clinic=clinic,
                )
    return statement
