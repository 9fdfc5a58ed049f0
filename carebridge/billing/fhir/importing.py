"""The import of a patient's billing resources: read them all, then write in one transaction.

Reads are bounded for the whole batch (one query for names, one for claims already explained);
a resource that cannot be billed (another currency, a negative or unreadable amount, no price)
is left out with a plain reason and nothing else is affected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.billing.fhir.accounts import account_fields, chosen_account, save_account
from carebridge.billing.fhir.amounts import NotBillableError
from carebridge.billing.fhir.claims import VOID, claim_lines, eob_lines
from carebridge.billing.fhir.coverage import coverage_fields, save_coverages
from carebridge.billing.fhir.details import Names, reference_id
from carebridge.billing.fhir.invoices import InvoiceRead, charge_item_line, read_invoice
from carebridge.billing.fhir.statements import file_invoice
from carebridge.billing.models import Charge, ChargeSource, ChargeStatus
from carebridge.billing.services.charges import ChargeLine, sync_charge_lines
from carebridge.billing.services.ledger import audit_money_event, lock_account
from carebridge.records.models import ClinicalResource

if TYPE_CHECKING:
    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient

Json = Mapping[str, Any]
BILLING_TYPES = ("Claim", "ExplanationOfBenefit", "Invoice", "ChargeItem", "Coverage", "Account")


@dataclass(frozen=True)
class NotBilled:
    """A stored resource that was not billed, and why (plain words, no health information)."""

    reference: str
    reason: str


@dataclass
class _Batch:
    names: Names
    lines: list[ChargeLine] = field(default_factory=list)
    superseded: list[tuple[str, str]] = field(default_factory=list)
    invoices: list[InvoiceRead] = field(default_factory=list)
    coverages: list[tuple[Json, dict[str, Any]]] = field(default_factory=list)
    account: dict[str, Any] | None = None
    not_billed: list[NotBilled] = field(default_factory=list)


def import_billing(
    *, actor: Actor, patient: Patient, rows: Sequence[ClinicalResource]
) -> list[NotBilled]:
    """Turn the patient's stored billing rows into charges (synced as differences, so
    importing again changes nothing), statements and insurance on file.

    Runs in the caller's transaction with the patient's billing account locked. Audit: the
    charge sync's "billing_charges" event, one "billing_statement" per invoice filed, one
    "billing_coverage" when insurance changed, one "billing" when the account's number, payer or
    hold changed. Returns what was not billed, and why.
    """
    resources = [row.resource for row in rows if row.resource_type in BILLING_TYPES]
    if not resources:
        return []
    batch = _read(patient, resources)
    with transaction.atomic():
        account = lock_account(patient)
        if batch.account is not None and save_account(account, batch.account):
            audit_money_event(
                actor, patient, action=AuditAction.IMPORT, object_type="billing", object_id=""
            )
        if batch.lines or batch.superseded:
            sync_charge_lines(
                actor=actor, patient=patient, lines=batch.lines, superseded=batch.superseded
            )
        for invoice in batch.invoices:
            file_invoice(actor=actor, patient=patient, invoice=invoice)
        if batch.coverages and save_coverages(
            patient=patient, coverages=batch.coverages, now=actor.now
        ):
            audit_money_event(
                actor,
                patient,
                action=AuditAction.IMPORT,
                object_type="billing_coverage",
                object_id="",
            )
    return batch.not_billed


def _read(patient: Patient, resources: list[Json]) -> _Batch:
    batch = _Batch(names=Names.load(patient.clinic_id, resources))
    by_type: dict[str, list[Json]] = {}
    for resource in resources:
        by_type.setdefault(resource["resourceType"], []).append(resource)
    eobs = by_type.get("ExplanationOfBenefit", [])
    billed_eobs = [eob for eob in eobs if _read_one(batch, eob, _eob)]
    claims = by_type.get("Claim", [])
    explained = _explained_claims(patient, eobs, billed_eobs, claims)
    for claim in claims:
        if str(claim["id"]) not in explained:
            _read_one(batch, claim, _claim)
    for item in by_type.get("ChargeItem", []):
        _read_one(batch, item, _charge_item)
    for invoice in by_type.get("Invoice", []):
        _read_one(batch, invoice, _invoice)
    for coverage in by_type.get("Coverage", []):
        _read_one(batch, coverage, _coverage)
    account = chosen_account(by_type.get("Account", []))
    if account is not None:
        batch.account = account_fields(account, batch.names)
    batch.lines += _dropped_lines(patient, batch.lines)
    return batch


def _read_one(batch: _Batch, resource: Json, reader: Any) -> bool:
    """Read one resource into the batch; False (with the reason kept) when not billable."""
    try:
        reader(batch, resource)
        return True
    except NotBillableError as error:
        reference = f"{resource['resourceType']}/{resource['id']}"
        reason = _("Not billed: %(reason)s.") % {"reason": error.reason}
        batch.not_billed.append(NotBilled(reference=reference, reason=reason))
        return False


def _eob(batch: _Batch, eob: Json) -> None:
    lines = eob_lines(eob, batch.names)
    if eob.get("status") in VOID:
        batch.superseded.append((ChargeSource.EOB, str(eob["id"])))
    elif reference_id(eob.get("claim")):
        batch.superseded.append((ChargeSource.CLAIM, reference_id(eob.get("claim"))))
    batch.lines += lines


def _claim(batch: _Batch, claim: Json) -> None:
    lines = claim_lines(claim, batch.names)
    if claim.get("status") in VOID:
        batch.superseded.append((ChargeSource.CLAIM, str(claim["id"])))
    batch.lines += lines


def _charge_item(batch: _Batch, item: Json) -> None:
    line = charge_item_line(item, batch.names)
    if line is None:
        batch.superseded.append((ChargeSource.CHARGE_ITEM, str(item["id"])))
    else:
        batch.lines.append(line)


def _invoice(batch: _Batch, invoice: Json) -> None:
    read = read_invoice(invoice, batch.names)
    if read is not None:
        batch.lines += read.lines
        batch.invoices.append(read)


def _coverage(batch: _Batch, coverage: Json) -> None:
    batch.coverages.append((coverage, coverage_fields(coverage, batch.names)))


def _explained_claims(
    patient: Patient, eobs: list[Json], billed: list[Json], claims: list[Json]
) -> set[str]:
    """Claims an explanation of benefits answers, billed in this batch or stored before (one
    query): their lines come from the EOB, so the claim itself adds none. An EOB of this
    batch that could not be billed explains nothing: its claim keeps waiting for insurance."""
    explained = {reference_id(eob.get("claim")) for eob in billed}
    if not claims:
        return explained
    stored = (
        ClinicalResource.objects.filter(patient=patient, resource_type="ExplanationOfBenefit")
        .exclude(fhir_id__in=[str(eob["id"]) for eob in eobs])
        .values_list("resource__claim", flat=True)
    )
    return explained | {reference_id(claim) for claim in stored}


def _dropped_lines(patient: Patient, lines: list[ChargeLine]) -> list[ChargeLine]:
    """Lines a resource had before and no longer has (a changed EOB with fewer items), as
    replaced lines owing nothing, so the ledger takes back what they added (one query)."""
    kept = {(line.source, line.source_id, line.line) for line in lines}
    sources = {(line.source, line.source_id) for line in lines}
    if not sources:
        return []
    earlier = Charge.objects.filter(
        patient=patient,
        source__in={source for source, _id in sources},
        source_id__in={source_id for _source, source_id in sources},
    ).exclude(status=ChargeStatus.SUPERSEDED)
    return [
        ChargeLine(
            source=ChargeSource(charge.source),
            source_id=charge.source_id,
            line=charge.line,
            visit_key=charge.visit_key,
            service_date=charge.service_date,
            description=charge.description,
            status=ChargeStatus.SUPERSEDED,
            billed_cents=charge.billed_cents,
            insurance_paid_cents=charge.insurance_paid_cents,
            adjusted_cents=charge.adjusted_cents,
            clinician=charge.clinician,
            place=charge.place,
        )
        for charge in earlier
        if (charge.source, charge.source_id) in sources
        and (charge.source, charge.source_id, charge.line) not in kept
    ]
