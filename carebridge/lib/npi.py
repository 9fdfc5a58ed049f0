"""The US National Provider Identifier's check digit.

An NPI is ten digits whose last is a Luhn check digit computed over the nine before it with
the prefix 80840 (the health industry's card issuer number) in front, as CMS specifies.
"""

from __future__ import annotations

NPI_PREFIX = "80840"


def _luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def is_valid_npi(value: str) -> bool:
    """Whether `value` is ten ASCII digits with a correct check digit."""
    if len(value) != 10 or not (value.isascii() and value.isdigit()):
        return False
    return _luhn_is_valid(NPI_PREFIX + value)
