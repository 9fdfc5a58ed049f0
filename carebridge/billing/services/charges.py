"""Charges (imported from the clinic's claims or posted by billing staff), adjustments and
statements. Every function runs in one transaction with the patient's account locked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.billing.models import (
    BillingAccount,
    Charge,
    ChargeSource,
    ChargeStatus,
    EntryKind,
    LedgerEntry,
    Statement,
)
from carebridge.billing.services.ledger import append_entry, audit_money_event, lock_account

if TYPE_CHECKING:
    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient

# The most a single charge, adjustment or payment may be: $1,000,000.00.
MAX_CENTS = 100_000_000


@dataclass(frozen=True)
class ChargeLine:
    """One line of a visit's bill as read from a FHIR resource (amounts in cents)."""

    source: ChargeSource
    source_id: str
    line: int
    visit_key: str
    service_date: datetime.date
    description: str
    status: ChargeStatus
    billed_cents: int
    insurance_paid_cents: int = 0
    adjusted_cents: int = 0
    patient_cents: int = 0
    clinician: str = ""
    place: str = ""


def sync_charge_lines(
    *,
    actor: Actor,
    patient: Patient,
    lines: list[ChargeLine],
    superseded: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> int:
    """Create or update imported charge lines, posting the change in what the patient owes
    to the ledger (the difference, so importing the same claim twice changes nothing).

    `superseded` names (source, source id) pairs whose lines a later resource replaces (a
    claim, by its explanation of benefits): they are marked replaced and owe nothing.
    Returns how many lines changed. Audit: one "billing charges" event when any did.
    """
    changed = 0
    with transaction.atomic():
        account = lock_account(patient)
        # One query for every superseded source, whatever their number.
        pairs = set(superseded)
        replaced = Charge.objects.filter(
            patient=patient,
            source__in={source for source, _id in pairs},
            source_id__in={source_id for _source, source_id in pairs},
        ).exclude(status=ChargeStatus.SUPERSEDED)
        for charge in replaced if pairs else []:
            if (charge.source, charge.source_id) in pairs:
                changed += _set_owed(account, charge, 0, ChargeStatus.SUPERSEDED, actor)
        existing = {
            (charge.source, charge.source_id, charge.line): charge
            for charge in Charge.objects.filter(
                patient=patient,
                source__in={line.source for line in lines},
                source_id__in={line.source_id for line in lines},
            )
        }
        for line in lines:
            found = existing.get((line.source, line.source_id, line.line))
            changed += _upsert(account, found, line, patient, actor)
        if changed:
            audit_money_event(
                actor,
                patient,
                action=AuditAction.IMPORT,
                object_type="billing_charges",
                object_id="",
            )
    return changed


def _upsert(
    account: BillingAccount, charge: Charge | None, line: ChargeLine, patient: Patient, actor: Actor
) -> int:
    fields = {
        "visit_key": line.visit_key,
        "service_date": line.service_date,
        "description": line.description[:255],
        "clinician": line.clinician[:200],
        "place": line.place[:200],
        "billed_cents": line.billed_cents,
        "insurance_paid_cents": line.insurance_paid_cents,
        "adjusted_cents": line.adjusted_cents,
    }
    owed = line.patient_cents if line.status == ChargeStatus.BILLED else 0
    if charge is None:
        charge = Charge.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            source=line.source,
            source_id=line.source_id,
            line=line.line,
            status=line.status,
            patient_cents=0,
            created_at=actor.now,
            updated_at=actor.now,
            **fields,
        )
        _set_owed(account, charge, owed, line.status, actor)
        return 1
    if all(getattr(charge, name) == value for name, value in fields.items()) and (
        charge.patient_cents == owed and charge.status == line.status
    ):
        return 0
    for name, value in fields.items():
        setattr(charge, name, value)
    charge.save(update_fields=[*fields, "updated_at"])
    _set_owed(account, charge, owed, line.status, actor)
    return 1


def _set_owed(account: BillingAccount, charge: Charge, owed: int, status: str, actor: Actor) -> int:
    """Make `charge` owe `owed` cents, posting the difference as a charge entry."""
    difference = owed - charge.patient_cents
    charge.patient_cents, charge.status, charge.updated_at = owed, status, actor.now
    charge.save(update_fields=["patient_cents", "status", "updated_at"])
    if difference:
        append_entry(
            account,
            kind=EntryKind.CHARGE,
            amount_cents=difference,
            actor=actor,
            charge=charge,
        )
    return 1


def post_manual_charge(
    *,
    actor: Actor,
    patient: Patient,
    service_date: datetime.date,
    description: str,
    amount_cents: int,
    clinician: str = "",
    place: str = "",
) -> Charge:
    """Billing staff post a charge by hand; it is owed at once and appears on the next
    statement. Audit: "billing_charge" created."""
    _check_amount(amount_cents)
    with transaction.atomic():
        account = lock_account(patient)
        charge = Charge.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            source=ChargeSource.MANUAL,
            visit_key=f"manual-{service_date.isoformat()}",
            service_date=service_date,
            description=description[:255],
            clinician=clinician[:200],
            place=place[:200],
            status=ChargeStatus.BILLED,
            billed_cents=amount_cents,
            patient_cents=amount_cents,
            posted_by=actor.user,
            created_at=actor.now,
            updated_at=actor.now,
        )
        append_entry(
            account, kind=EntryKind.CHARGE, amount_cents=amount_cents, actor=actor, charge=charge
        )
        audit_money_event(
            actor,
            patient,
            action=AuditAction.CREATE,
            object_type="billing_charge",
            object_id=charge.pk,
        )
    return charge


def post_adjustment(
    *,
    actor: Actor,
    patient: Patient,
    amount_cents: int,
    reason: str,
    statement: Statement | None = None,
) -> LedgerEntry:
    """Billing staff change what a patient owes, with a reason the patient sees (negative
    takes off, positive adds). The balance may not go below zero. Audit: "billing_adjustment".
    """
    if not amount_cents or abs(amount_cents) > MAX_CENTS:
        raise ValidationError(_("Enter an amount other than $0.00, up to $1,000,000.00."))
    if not reason.strip():
        raise ValidationError(_("Say why, in words the patient will understand."))
    with transaction.atomic():
        account = lock_account(patient)
        if account.balance_cents + amount_cents < 0:
            raise ValidationError(_("That would take the balance below $0.00."))
        entry = append_entry(
            account,
            kind=EntryKind.ADJUSTMENT,
            amount_cents=amount_cents,
            actor=actor,
            statement=statement,
            reason=reason.strip()[:255],
        )
        audit_money_event(
            actor,
            patient,
            action=AuditAction.CREATE,
            object_type="billing_adjustment",
            object_id=entry.pk,
        )
    return entry


def issue_statement(
    *, actor: Actor, patient: Patient, due_days: int, fhir_id: str = ""
) -> Statement | None:
    """File the patient's entries not yet on a statement under a new one, due in `due_days`.

    None when nothing new is owed (no entries, or they add up to $0.00 or less). Audit:
    "billing_statement" created. The notice to the patient is the caller's (see
    `notices.statement_ready`).
    """
    with transaction.atomic():
        lock_account(patient)
        unbilled = LedgerEntry.objects.filter(patient=patient, statement__isnull=True)
        amount = sum(unbilled.values_list("amount_cents", flat=True))
        if amount <= 0:
            return None
        statement = Statement.objects.create_numbered(
            clinic_id=patient.clinic_id,
            patient=patient,
            issued_on=actor.today,
            due_on=actor.today + datetime.timedelta(days=due_days),
            amount_cents=amount,
            fhir_id=fhir_id,
            issued_by=actor.user,
            created_at=actor.now,
        )
        unbilled.update(statement=statement)
        audit_money_event(
            actor,
            patient,
            action=AuditAction.CREATE,
            object_type="billing_statement",
            object_id=statement.pk,
        )
    return statement


def _check_amount(cents: int) -> None:
    if cents <= 0 or cents > MAX_CENTS:
        raise ValidationError(_("Enter an amount from $0.01 to $1,000,000.00."))
