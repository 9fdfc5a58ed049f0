"""Charge lines from `Claim` and `ExplanationOfBenefit` (rules in `docs/fhir-mapping.md`).

An explanation of benefits gives one line per adjudicated item (keyed by the EOB's id and the
item's sequence) and replaces its claim's lines; a claim without one is waiting for insurance,
or, with no insurance at all, billed to the patient in full.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from carebridge.billing.fhir.amounts import (
    BILLED,
    NotBillableError,
    Split,
    amounts_by_category,
    money_cents,
    price_times_quantity,
    split,
)
from carebridge.billing.fhir.details import (
    Names,
    clinician,
    description,
    place,
    reference_id,
    service_date,
    visit_key,
)
from carebridge.billing.models import ChargeSource, ChargeStatus
from carebridge.billing.services.charges import ChargeLine

Json = Mapping[str, Any]
# Statuses of a claim or EOB that bill nothing: its earlier lines (if any) are replaced.
VOID = ("cancelled", "entered-in-error")


def eob_lines(eob: Json, names: Names) -> list[ChargeLine]:
    """One line per adjudicated item, else one line from the EOB's `total` and `payment`."""
    if eob.get("status") in VOID:
        return []
    fallback = reference_id(eob.get("claim")) or str(eob["id"])
    items = [item for item in eob.get("item") or [] if isinstance(item, Mapping)]
    adjudicated = [(item, amounts_by_category(item.get("adjudication") or [])) for item in items]
    # Items with no adjudicated amount (Synthea's encounter line) were not decided on: no line.
    adjudicated = [(item, amounts) for item, amounts in adjudicated if amounts]
    # Still being processed: the patient owes nothing on it yet.
    status = ChargeStatus.WITH_INSURANCE if eob.get("outcome") == "queued" else ChargeStatus.BILLED
    make = _maker(ChargeSource.EOB, eob, names, status, visit=visit_key(eob, fallback))
    if not adjudicated:
        return [make(items[0] if items else {}, 1, _header_split(eob, items))]
    lines = []
    for index, (item, amounts) in enumerate(adjudicated, start=1):
        billed = _first_of(amounts, BILLED)
        if billed is None:
            billed = _item_amount(item)
        lines.append(make(item, _sequence(item, index), split(amounts, billed=billed or 0)))
    return lines


def claim_lines(claim: Json, names: Names) -> list[ChargeLine]:
    """A claim's items (net, else unit price x quantity), else one line from its total:
    with insurance (owing nothing yet), or self-pay (owing it all)."""
    if claim.get("status") in VOID:
        return []
    if claim.get("use", "claim") != "claim":
        raise NotBillableError(_("it asks insurance in advance; it is not a bill"))
    has_insurance = bool(claim.get("insurance"))
    status = ChargeStatus.WITH_INSURANCE if has_insurance else ChargeStatus.BILLED
    make = _maker(ChargeSource.CLAIM, claim, names, status, visit=visit_key(claim, claim["id"]))
    items = [item for item in claim.get("item") or [] if isinstance(item, Mapping)]
    amounts = [(item, _item_amount(item)) for item in items]
    priced = [(item, cents) for item, cents in amounts if cents is not None]
    if not priced:
        total = money_cents(claim.get("total"))
        if total is None:
            raise NotBillableError(_("it has no amounts"))
        priced = [(items[0] if items else {}, total)]
        sequences = [1]
    else:
        sequences = [_sequence(item, index) for index, (item, _c) in enumerate(priced, start=1)]
    return [
        make(item, number, _claim_split(cents, has_insurance))
        for (item, cents), number in zip(priced, sequences, strict=True)
    ]


def _claim_split(billed: int, has_insurance: bool) -> Split:
    return Split(billed=billed, insurance=0, adjusted=0, patient=0 if has_insurance else billed)


def _header_split(eob: Json, items: list[Json]) -> Split:
    totals = amounts_by_category(eob.get("total") or [])
    billed = _first_of(totals, BILLED)
    if billed is None:
        amounts = [_item_amount(item) for item in items]
        billed = sum(cents for cents in amounts if cents is not None)
    paid = money_cents((eob.get("payment") or {}).get("amount"))
    if not billed and not paid and not totals:
        raise NotBillableError(_("it has no amounts"))
    return split(totals, billed=billed, insurance=paid)


def _maker(
    source: ChargeSource, resource: Json, names: Names, status: ChargeStatus, visit: str
) -> Callable[[Json, int, Split], ChargeLine]:
    """A function making one of the resource's lines from an item, its number and money."""
    who = clinician(resource, names)

    def make(item: Json, number: int, money: Split) -> ChargeLine:
        return ChargeLine(
            source=source,
            source_id=str(resource["id"])[:64],
            line=number,
            visit_key=visit,
            service_date=service_date(item, resource),
            description=description(item) if item else _("Visit"),
            status=status,
            billed_cents=money.billed,
            insurance_paid_cents=money.insurance,
            adjusted_cents=money.adjusted,
            patient_cents=money.patient,
            clinician=who,
            place=place(item, resource, names),
        )

    return make


def _item_amount(item: Json) -> int | None:
    net = money_cents(item.get("net"))
    return net if net is not None else price_times_quantity(item)


def _first_of(amounts: Mapping[str, int], codes: tuple[str, ...]) -> int | None:
    for code in codes:
        if code in amounts:
            return amounts[code]
    return None


def _sequence(item: Json, index: int) -> int:
    sequence = item.get("sequence")
    return sequence if isinstance(sequence, int) and sequence > 0 else index
