"""Money as integer minor units (cents) with a currency: never floats.

Rounding rules (also in docs/adr/0010-billing-ledger.md):
- An amount from outside (a FHIR `Money.value`, a typed "12.5") is read as a decimal from its
  written form and rounded to the cent half-up, once, per line. Totals are sums of rounded
  lines, so a statement always adds up to the cent it shows.
- Splitting an amount into parts (a payment plan's instalments) gives every part the same
  whole cents and the left-over cents, one each, to the first parts, so the parts add up exactly.
- Allocating a payment across statements takes the oldest statement first.
"""

from __future__ import annotations

import decimal
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# The one currency a clinic bills in today; amounts in another currency are not imported.
DEFAULT_CURRENCY = "USD"
SYMBOLS = {"USD": "$"}


class MoneyError(ValueError):
    """An amount that cannot be read as money."""


def cents_from_decimal(value: object) -> int:
    """Whole cents from a FHIR or typed amount, rounded half-up to the cent.

    Floats are read through their shortest written form (`repr`), so 28.104000000000003 is
    28.10, never a binary fraction. Raises `MoneyError` for anything that is not a finite
    number.
    """
    if isinstance(value, bool) or value is None:
        raise MoneyError(repr(value))
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except (decimal.InvalidOperation, ValueError) as error:
        raise MoneyError(repr(value)) from error
    if not amount.is_finite():
        raise MoneyError(repr(value))
    return int((amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def format_cents(cents: int, currency: str = DEFAULT_CURRENCY) -> str:
    """ "$1,234.56", "-$5.00": the symbol, thousands separators and two decimals."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    symbol = SYMBOLS.get(currency, currency + " ")
    return f"{sign}{symbol}{whole:,}.{part:02d}"


def split_evenly(cents: int, parts: int) -> list[int]:
    """`cents` in `parts` amounts that differ by at most one cent and add up exactly; the
    larger ones first (100.00 in 3: 33.34, 33.33, 33.33)."""
    if parts < 1 or cents < 0:
        raise MoneyError(f"{cents} in {parts}")
    each, left_over = divmod(cents, parts)
    return [each + 1 if index < left_over else each for index in range(parts)]
