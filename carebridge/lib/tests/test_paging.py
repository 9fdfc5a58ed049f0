"""Page numbers from an address, and one page of a newest-first list read with one query."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.lib.paging import MOST_PAGES, EarlierPage, page_number, slice_page


@pytest.mark.parametrize(
    ("value", "number"),
    [("1", 1), ("2", 2), ("07", 7), (str(MOST_PAGES), MOST_PAGES)],
)
def test_page_numbers(value: str, number: int) -> None:
    assert page_number(value) == number


@pytest.mark.parametrize(
    "value",
    [None, "", "0", "00", "-1", "+2", "2.0", " 2", "2 ", "two", "1e3", "\u0662", "\uff12", "1001"],
)
def test_anything_else_is_the_first_page(value: str | None) -> None:
    assert page_number(value) == 1


@given(st.text())
def test_any_text_is_a_page_in_range(value: str) -> None:
    assert 1 <= page_number(value) <= MOST_PAGES


@pytest.mark.parametrize(
    ("number", "rows", "has_more"),
    [(1, [0, 1, 2], True), (2, [3, 4, 5], True), (3, [6], False), (4, [], False)],
)
def test_slice_page(number: int, rows: list[int], has_more: bool) -> None:
    assert slice_page(list(range(7)), number, 3) == (rows, has_more)


def test_a_full_last_page_has_nothing_earlier() -> None:
    assert slice_page(list(range(6)), 2, 3) == ([3, 4, 5], False)


def test_earlier_page_links() -> None:
    first = EarlierPage(rows=[1], number=1, has_earlier=True)
    middle = EarlierPage(rows=[1], number=2, has_earlier=True)
    last = EarlierPage(rows=[1], number=3, has_earlier=False)
    assert [(p.is_first, p.later_number, p.earlier_number) for p in (first, middle, last)] == [
        (True, None, 2),
        (False, 1, 3),
        (False, 2, None),
    ]
