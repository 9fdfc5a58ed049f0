"""Money is whole cents: reading amounts, writing them, splitting them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.billing.money import MoneyError, cents_from_decimal, format_cents, split_evenly


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        (28.104000000000003, 2810),
        (112.41600000000001, 11242),
        (140.52, 14052),
        (0.005, 1),
        (0.004, 0),
        ("12.5", 1250),
        ("  7 ", 700),
        (125, 12500),
        (Decimal("2.675"), 268),
        (-3.335, -334),
    ],
)
def test_amounts_are_rounded_half_up_to_the_cent(value: object, cents: int) -> None:
    assert cents_from_decimal(value) == cents


@pytest.mark.parametrize("value", [None, True, "", "abc", "NaN", "Infinity", float("nan")])
def test_what_is_not_a_number_is_refused(value: object) -> None:
    with pytest.raises(MoneyError):
        cents_from_decimal(value)


@pytest.mark.parametrize(
    ("cents", "words"),
    [(0, "$0.00"), (5, "$0.05"), (2500, "$25.00"), (123456789, "$1,234,567.89"), (-500, "-$5.00")],
)
def test_amounts_are_written_with_the_symbol_and_two_decimals(cents: int, words: str) -> None:
    assert format_cents(cents) == words


def test_a_split_gives_the_left_over_cents_to_the_first_parts() -> None:
    assert split_evenly(10000, 3) == [3334, 3333, 3333]
    assert split_evenly(5, 3) == [2, 2, 1]


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=60))
def test_a_split_always_adds_up_and_differs_by_at_most_a_cent(cents: int, parts: int) -> None:
    amounts = split_evenly(cents, parts)
    assert sum(amounts) == cents
    assert len(amounts) == parts
    assert max(amounts) - min(amounts) <= 1
    assert amounts == sorted(amounts, reverse=True)
