"""Newest-first paging in the database: a page number from the address, and one page read
with one query (a slice one row longer than the page, so there is no count query and the
"Earlier" link is shown only when there is something earlier)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet

T = TypeVar("T")

# Nobody pages back further than this; a larger number is a made-up address.
MOST_PAGES = 1000


def page_number(value: str | None) -> int:
    """The page asked for in a query parameter: a whole number from 1 to `MOST_PAGES` in plain
    ASCII digits. Anything else (missing, empty, words, zero, negative, too large) is page 1,
    so a bad address shows the first page, never an error."""
    if value is None or not value.isascii() or not value.isdigit():
        return 1
    number = int(value)
    return number if 1 <= number <= MOST_PAGES else 1


@dataclass(frozen=True)
class EarlierPage(Generic[T]):
    """One page of a newest-first list: its rows, its number, and whether an earlier page has
    rows (the page after it in the list's order)."""

    rows: list[T]
    number: int
    has_earlier: bool

    @property
    def is_first(self) -> bool:
        return self.number == 1

    @property
    def earlier_number(self) -> int | None:
        return self.number + 1 if self.has_earlier else None

    @property
    def later_number(self) -> int | None:
        return self.number - 1 if self.number > 1 else None


def slice_page(
    rows: QuerySet[Any, T] | Sequence[T], number: int, per_page: int
) -> tuple[list[T], bool]:
    """Page `number` of `rows` (a QuerySet in its final order: one query, LIMIT and OFFSET)
    and whether there are rows past it."""
    start = (number - 1) * per_page
    found = list(rows[start : start + per_page + 1])
    return found[:per_page], len(found) > per_page


def newest_page(rows: QuerySet[Any, T], number: int, per_page: int) -> EarlierPage[T]:
    """Page `number` of `rows` (newest first), its rows turned to oldest first, as a
    conversation reads (one query); a page past the end is page 1 (a second query)."""
    found, has_earlier = slice_page(rows, number, per_page)
    if not found and number > 1:
        return newest_page(rows, 1, per_page)
    found.reverse()
    return EarlierPage(rows=found, number=number, has_earlier=has_earlier)
