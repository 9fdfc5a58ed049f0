"""The one way a patient's balance changes: a ledger entry appended with the account locked.

Callers run inside `transaction.atomic()`; `lock_account` takes the patient's account row for
update (created on first use), so two changes to one patient's money (two tabs paying, a
webhook and a desk payment) happen one after the other and the balance stays the sum of the
entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Sum

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.billing.models import (
    BillingAccount,
    Charge,
    EntryKind,
    LedgerEntry,
    Payment,
    Refund,
    Statement,
)

if TYPE_CHECKING:
    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient


def lock_account(patient: Patient) -> BillingAccount:
    """The patient's account row, locked until the caller's transaction ends."""
    assert transaction.get_connection().in_atomic_block, "lock_account needs a transaction"
    account = BillingAccount.objects.select_for_update().filter(patient=patient).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            BillingAccount.objects.create(patient=patient, clinic_id=patient.clinic_id)
    except IntegrityError:
        # Another transaction created it first; take its row.
        pass
    return BillingAccount.objects.select_for_update().get(patient=patient)


def append_entry(
    account: BillingAccount,
    *,
    kind: EntryKind,
    amount_cents: int,
    actor: Actor,
    statement: Statement | None = None,
    charge: Charge | None = None,
    payment: Payment | None = None,
    refund: Refund | None = None,
    reason: str = "",
) -> LedgerEntry:
    """Append one entry to a locked account and keep its balance the sum of its entries."""
    entry = LedgerEntry.objects.create(
        clinic_id=account.clinic_id,
        patient_id=account.patient_id,
        statement=statement,
        kind=kind,
        amount_cents=amount_cents,
        currency=account.currency,
        charge=charge,
        payment=payment,
        refund=refund,
        reason=reason,
        actor=actor.user,
        created_at=actor.now,
    )
    account.balance_cents += amount_cents
    account.updated_at = actor.now
    account.save(update_fields=["balance_cents", "updated_at"])
    return entry


def statement_balances(patient: Patient) -> dict[object, int]:
    """What is left on each of the patient's statements, and (under None) on entries not yet on
    a statement: one query."""
    rows = (
        LedgerEntry.objects.filter(patient=patient)
        .values("statement_id")
        .annotate(left=Sum("amount_cents"))
        .order_by()
    )
    return {row["statement_id"]: int(row["left"] or 0) for row in rows}


def allocate(
    amount_cents: int, patient: Patient, *, statement: Statement | None
) -> list[tuple[Statement | None, int]]:
    """How a payment of `amount_cents` is filed: all on `statement` when one is paid, else the
    oldest statements with something left first, then what is not yet on a statement.

    The caller has checked that the amount is not more than what is owed.
    """
    if statement is not None:
        return [(statement, amount_cents)]
    left = statement_balances(patient)
    open_ids = [key for key, cents in left.items() if key is not None and cents > 0]
    by_age = Statement.objects.filter(pk__in=open_ids).order_by("issued_on", "created_at")
    parts: list[tuple[Statement | None, int]] = []
    for owed_on in by_age:
        if amount_cents <= 0:
            break
        part = min(amount_cents, left[owed_on.pk])
        parts.append((owed_on, part))
        amount_cents -= part
    if amount_cents > 0:
        parts.append((None, amount_cents))
    return parts


def audit_money_event(
    actor: Actor, patient: Patient, *, action: AuditAction, object_type: str, object_id: object
) -> None:
    """Record a money event in the audit trail (so it shows in the patient's account
    activity). Privacy rule: by type and id only; amounts are in the ledger, not the trail."""
    record_event(
        actor=actor.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        patient=patient,
        acting_as=actor.acting_as,
        request=actor.request,
    )


def entries_sum(entries: Iterable[LedgerEntry]) -> int:
    return sum(entry.amount_cents for entry in entries)
