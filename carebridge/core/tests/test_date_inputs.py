"""Dates typed into forms or sent in addresses: out-of-range years get a field error in plain
words, never an overflow further on."""

from __future__ import annotations

import datetime

import pytest
from django import forms

from carebridge.core.forms import BoundedDateField, DateRangeForm
from carebridge.lib.dates import parse_input_datetime


class _OneDate(forms.Form):
    day = BoundedDateField(required=False)


def _errors(value: str) -> list[str]:
    form = _OneDate({"day": value})
    form.is_valid()
    return form.errors.get("day", [])


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_a_year_out_of_range_is_a_field_error_in_plain_words(value: str) -> None:
    assert _errors(value) == ["Enter a date between 1900 and 2100."]


@pytest.mark.parametrize("value", ["+275760-09-13", "2026-02-30", "x" * 5000, "2026-01-01\x00"])
def test_what_is_not_a_date_is_said_to_be_one_to_enter(value: str) -> None:
    assert _errors(value) == ["Enter a valid date."]


@pytest.mark.parametrize("value", ["1900-01-01", "2100-12-31", "2026-03-08"])
def test_dates_in_range_are_accepted(value: str) -> None:
    form = _OneDate({"day": value})
    assert form.is_valid()
    assert form.cleaned_data["day"] == datetime.date.fromisoformat(value)


def test_a_range_form_says_too_early_in_its_own_words() -> None:
    class Trail(DateRangeForm):
        earliest_date = datetime.date(2000, 1, 1)
        earliest_message = "Enter a date in 2000 or later."

    form = Trail({"date_from": "0001-01-01", "date_to": "9999-12-31"})
    assert not form.is_valid()
    assert form.errors == {
        "date_from": ["Enter a date in 2000 or later."],
        "date_to": ["Enter a date between 2000 and 2100."],
    }


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "2026-03-08T10:00:00+23:59",
        "2026-03-08T10:00:00-14:01",
        "2026-03-08T10:00:00",
        "+275760-09-13T00:00:00+00:00",
        "not a time",
    ],
)
def test_a_chosen_time_out_of_range_or_without_a_real_offset_is_refused(text: str) -> None:
    assert parse_input_datetime(text) is None


def test_a_chosen_time_with_a_real_offset_is_read() -> None:
    moment = parse_input_datetime("2026-03-08T10:00:00+14:00")
    assert moment == datetime.datetime(2026, 3, 7, 20, 0, tzinfo=datetime.UTC)
