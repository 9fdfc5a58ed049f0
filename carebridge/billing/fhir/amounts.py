"""Reading FHIR `Money` and adjudications as whole cents (see `docs/fhir-mapping.md`).

Every amount is read once, rounded half-up to the cent (`money.cents_from_decimal`); a line's
parts are sums of rounded amounts, so a visit adds up to the cents its lines show. An amount in
another currency, a negative or an unreadable one makes the whole resource not billable
(`NotBillableError`, with a plain reason for the import summary).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from carebridge.billing.money import DEFAULT_CURRENCY, MoneyError, cents_from_decimal

# Adjudication categories (the FHIR code, or the last part of a Blue Button variable's URL).
BILLED = ("submitted", "line_sbmtd_chrg_amt")
ALLOWED = ("eligible", "line_alowd_chrg_amt")
# What insurance paid: the first of these an item carries (they overlap, so never summed).
INSURANCE_PAID = ("benefit", "paidtoprovider", "line_prvdr_pmt_amt")
# The patient's share, summed when no CARIN `memberliability` is given.
PATIENT_SHARE = (
    "copay",
    "deductible",
    "coinsurance",
    "line_coinsrnc_amt",
    "line_bene_ptb_ddctbl_amt",
)
MEMBER_LIABILITY = "memberliability"
PAID_BY_PATIENT = "paidbypatient"


class NotBillableError(Exception):
    """A resource that is stored in the record but not billed; `reason` is in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def money_cents(money: object) -> int | None:
    """A `Money` as cents; None when absent or it has no value. Raises `NotBillableError` for
    another currency, a negative or an unreadable amount."""
    if money is None:
        return None
    if not isinstance(money, Mapping):
        raise NotBillableError(_("an amount could not be read"))
    currency = money.get("currency") or DEFAULT_CURRENCY
    if currency != DEFAULT_CURRENCY:
        raise NotBillableError(
            _("its amounts are in %(currency)s, not US dollars") % {"currency": str(currency)[:8]}
        )
    if money.get("value") is None:
        return None
    try:
        cents = cents_from_decimal(money["value"])
    except MoneyError as error:
        raise NotBillableError(_("an amount could not be read")) from error
    if cents < 0:
        raise NotBillableError(_("it has a negative amount"))
    return cents


def price_times_quantity(item: Mapping[str, Any]) -> int | None:
    """`unitPrice` x `quantity` x `factor`, multiplied exactly and rounded once."""
    if money_cents(item.get("unitPrice")) is None:
        return None
    value = item["unitPrice"]["value"]
    try:
        unit = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
        quantity = Decimal(str((item.get("quantity") or {}).get("value", 1)))
        factor = Decimal(str(item.get("factor", 1)))
    except (InvalidOperation, AttributeError) as error:
        raise NotBillableError(_("an amount could not be read")) from error
    return money_cents({"value": unit * quantity * factor})


def category_code(entry: Mapping[str, Any]) -> str:
    """An adjudication's (or total's) category code; a Blue Button URL by its last part."""
    category = entry.get("category") or {}
    for coding in category.get("coding") or []:
        code = str(coding.get("code") or "")
        if code:
            return code.rstrip("/").rsplit("/", 1)[-1]
    return str(category.get("text") or "").lower()


def amounts_by_category(entries: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Each category's amount (summed when repeated); entries with no amount are left out."""
    found: dict[str, int] = {}
    for entry in entries:
        cents = money_cents(entry.get("amount"))
        if cents is not None:
            code = category_code(entry)
            found[code] = found.get(code, 0) + cents
    return found


@dataclass(frozen=True)
class Split:
    """A line's money: billed, insurance paid, adjusted off and left for the patient."""

    billed: int
    insurance: int
    adjusted: int
    patient: int


def split(amounts: Mapping[str, int], *, billed: int, insurance: int | None = None) -> Split:
    """Split `billed` using the adjudication `amounts` (see the rules in the docs)."""
    paid = insurance if insurance is not None else _first(amounts, INSURANCE_PAID) or 0
    patient = patient_share(amounts)
    allowed = _first(amounts, ALLOWED)
    adjusted = billed - allowed if allowed is not None else billed - paid - patient
    # More allowed or paid than billed is a payer's oddity, never a credit to the patient.
    return Split(billed=billed, insurance=paid, adjusted=max(adjusted, 0), patient=patient)


def patient_share(amounts: Mapping[str, int]) -> int:
    """CARIN's member liability less what the patient already paid; else copay + deductible +
    coinsurance."""
    if MEMBER_LIABILITY in amounts:
        return max(amounts[MEMBER_LIABILITY] - amounts.get(PAID_BY_PATIENT, 0), 0)
    owed = sum(amounts.get(code, 0) for code in PATIENT_SHARE)
    return max(owed - amounts.get(PAID_BY_PATIENT, 0), 0)


def _first(amounts: Mapping[str, int], codes: Iterable[str]) -> int | None:
    for code in codes:
        if code in amounts:
            return amounts[code]
    return None
