"""NPI check digits, with the example CMS gives (123456789 has check digit 3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.lib.npi import is_valid_npi


@pytest.mark.parametrize("value", ["1234567893", "1245319599", "1003000126"])
def test_valid_numbers(value: str) -> None:
    assert is_valid_npi(value)


@pytest.mark.parametrize(
    "value",
    ["1234567890", "1234567894", "123456789", "12345678930", "12345 7893", "\uff11234567893", ""],
)
def test_invalid_numbers(value: str) -> None:
    assert not is_valid_npi(value)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_fits_each_number(stem: str) -> None:
    assert sum(is_valid_npi(stem + digit) for digit in "0123456789") == 1
