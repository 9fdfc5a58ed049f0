"""`ChargeItem`s as charge lines, and `Invoice`s as statements (rules in `docs/fhir-mapping.md`).

A charge item is billed at its `priceOverride` (without one there is nothing to bill). An invoice
becomes a `Statement` carrying the invoice's id; its own priced lines are charges, and the
charges it lists (its lines and the charge items it points at) are filed under it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from carebridge.billing.fhir.amounts import NotBillableError, money_cents
from carebridge.billing.fhir.details import Names, describe, reference_id, service_date
from carebridge.billing.models import ChargeSource, ChargeStatus
from carebridge.billing.services.charges import ChargeLine

Json = Mapping[str, Any]
# A price component's type and whether it adds to (1) or takes from (-1) the line's price.
PRICE_SIGNS = {"base": 1, "surcharge": 1, "tax": 1, "deduction": -1, "discount": -1}
NOT_BILLED_CHARGE = ("entered-in-error", "not-billable", "aborted", "planned")
INVOICE_BILLS = ("issued", "balanced")


def charge_item_line(item: Json, names: Names) -> ChargeLine | None:
    """The charge item at its override price, owed by the patient; None for a void one."""
    if item.get("status") in NOT_BILLED_CHARGE:
        return None
    price = money_cents(item.get("priceOverride"))
    if price is None:
        raise NotBillableError(_("it has no price to bill"))
    performer: Json = next(iter(item.get("performer") or []), {})
    return ChargeLine(
        source=ChargeSource.CHARGE_ITEM,
        source_id=str(item["id"])[:64],
        line=1,
        visit_key=(reference_id(item.get("context")) or str(item["id"]))[:64],
        service_date=service_date({}, item),
        description=describe(item.get("code")) or _("Charge"),
        status=ChargeStatus.BILLED,
        billed_cents=price,
        patient_cents=price,
        clinician=names.of(performer.get("actor")),
        place=names.of(item.get("performingOrganization")),
    )


@dataclass
class InvoiceRead:
    """An invoice as a statement: its date, amount, own lines and the charge items it lists."""

    fhir_id: str
    issued_on: datetime.date
    amount_cents: int
    lines: list[ChargeLine] = field(default_factory=list)
    charge_item_ids: list[str] = field(default_factory=list)


def read_invoice(invoice: Json, names: Names) -> InvoiceRead | None:
    """None for a draft or cancelled invoice (no statement); raises `NotBillableError`."""
    if invoice.get("status") not in INVOICE_BILLS:
        return None
    issued_on = service_date({}, invoice)
    read = InvoiceRead(fhir_id=str(invoice["id"])[:64], issued_on=issued_on, amount_cents=0)
    for index, entry in enumerate(invoice.get("lineItem") or [], start=1):
        if not isinstance(entry, Mapping):
            continue
        pointed = reference_id(entry.get("chargeItemReference"))
        if pointed:
            read.charge_item_ids.append(pointed)
        else:
            read.lines.append(_invoice_line(invoice, entry, index, issued_on, names))
    gross = money_cents(invoice.get("totalGross"))
    net = money_cents(invoice.get("totalNet"))
    own = sum(line.patient_cents for line in read.lines)
    read.amount_cents = gross if gross is not None else net if net is not None else own
    return read


def _invoice_line(
    invoice: Json, entry: Json, index: int, issued_on: datetime.date, names: Names
) -> ChargeLine:
    cents = 0
    for component in entry.get("priceComponent") or []:
        sign = PRICE_SIGNS.get(str(component.get("type")), 0)
        cents += sign * (money_cents(component.get("amount")) or 0)
    if cents < 0:
        raise NotBillableError(_("it has a negative amount"))
    sequence = entry.get("sequence")
    participant: Json = next(iter(invoice.get("participant") or []), {})
    return ChargeLine(
        source=ChargeSource.INVOICE,
        source_id=str(invoice["id"])[:64],
        line=sequence if isinstance(sequence, int) and sequence > 0 else index,
        visit_key=str(invoice["id"])[:64],
        service_date=issued_on,
        description=describe(entry.get("chargeItemCodeableConcept")) or _("Charge"),
        status=ChargeStatus.BILLED,
        billed_cents=cents,
        patient_cents=cents,
        clinician=names.of(participant.get("actor")),
        place=names.of(invoice.get("issuer")),
    )
