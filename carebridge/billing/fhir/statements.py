"""Statements from imported `Invoice`s: the invoice's date and amount, and the charges it
lists filed under it."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q

from carebridge.audit.models import AuditAction
from carebridge.billing.models import ChargeSource, LedgerEntry, Statement
from carebridge.billing.selectors.rules import rules_for
from carebridge.billing.services.ledger import audit_money_event

if TYPE_CHECKING:
    from carebridge.billing.fhir.invoices import InvoiceRead
    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient


def file_invoice(*, actor: Actor, patient: Patient, invoice: InvoiceRead) -> Statement:
    """Create or update the invoice's statement and file under it the entries (not yet on a
    statement) of the charges it lists. The caller holds the account lock. Audit:
    "billing_statement" created, when new."""
    statement = Statement.objects.filter(clinic_id=patient.clinic_id, fhir_id=invoice.fhir_id)
    found = statement.first()
    due_on = invoice.issued_on + datetime.timedelta(
        days=rules_for(patient.clinic_id).statement_due_days
    )
    if found is None:
        found = Statement.objects.create_numbered(
            clinic_id=patient.clinic_id,
            patient=patient,
            issued_on=invoice.issued_on,
            due_on=due_on,
            amount_cents=invoice.amount_cents,
            fhir_id=invoice.fhir_id,
            created_at=actor.now,
        )
        audit_money_event(
            actor,
            patient,
            action=AuditAction.CREATE,
            object_type="billing_statement",
            object_id=found.pk,
        )
    elif (found.issued_on, found.amount_cents) != (invoice.issued_on, invoice.amount_cents):
        found.issued_on, found.due_on = invoice.issued_on, due_on
        found.amount_cents = invoice.amount_cents
        found.save(update_fields=["issued_on", "due_on", "amount_cents"])
    listed = Q(charge__source=ChargeSource.INVOICE, charge__source_id=invoice.fhir_id)
    if invoice.charge_item_ids:
        listed |= Q(
            charge__source=ChargeSource.CHARGE_ITEM, charge__source_id__in=invoice.charge_item_ids
        )
    LedgerEntry.objects.filter(listed, patient=patient, statement__isnull=True).update(
        statement=found
    )
    return found
