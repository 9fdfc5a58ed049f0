"""Units written for people: one row per unit the table knows, and any other unit shown as it
came, whatever it is."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from carebridge.records.selectors.wording import unit_words
from carebridge.records.units import _SYMBOLS, _WORDS, unit_for_people


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("10*3/uL", "10³/µL"),
        ("x10^3/uL", "10³/µL"),
        ("x10E3/uL", "10³/µL"),
        ("K/uL", "10³/µL"),
        ("10*6/uL", "10⁶/µL"),
        ("x10^6/uL", "10⁶/µL"),
        ("mg/dL", "mg/dL"),
        ("mg/dl", "mg/dL"),
        ("mmol/L", "mmol/L"),
        ("g/dL", "g/dL"),
        ("%", "%"),
        ("fL", "fL"),
        ("pg", "pg"),
        ("U/L", "U/L"),
        ("umol/L", "µmol/L"),
        ("mL/min/{1.73_m2}", "mL/min/1.73 m²"),
        ("[lb_av]", "lb"),
        ("[in_i]", "in"),
        ("Cel", "°C"),
        ("[degF]", "°F"),
        ("mm[Hg]", "mmHg"),
        ("kg/m2", "kg/m²"),
        ("/min", "per minute"),
        ("{beats}/min", "beats per minute"),
        ("{breaths}/min", "breaths per minute"),
    ],
)
def test_each_unit_reads_as_people_write_it(code: str, shown: str) -> None:
    assert unit_for_people(code) == shown
    assert unit_words(code) == shown


def test_units_that_are_words_are_translated() -> None:
    with translation.override("es"):
        assert unit_for_people("/min") == str(_WORDS["/min"])
    assert unit_for_people("/min") == "per minute"


def test_every_symbol_is_already_in_its_final_form() -> None:
    # A unit shown once is shown the same way again: the table never maps to a code it maps on.
    for shown in _SYMBOLS.values():
        assert unit_for_people(shown) == shown


@given(st.text(max_size=40))
def test_an_unknown_unit_passes_through_unchanged_and_nothing_raises(unit: str) -> None:
    shown = unit_for_people(unit)
    if unit in _SYMBOLS or unit in _WORDS:
        assert shown != "" or unit == ""
    else:
        assert shown == unit


@pytest.mark.parametrize(
    ("text", "unit", "shown"),
    [
        ("4 to 11 10*3/uL", "10*3/uL", "4 to 11 10³/µL"),
        ("≤ 200 mg/dL", "mg/dL", "≤ 200 mg/dL"),
        ("Negative", "10*3/uL", "Negative"),
        ("4 to 11", "", "4 to 11"),
    ],
)
def test_a_range_made_from_numbers_shows_its_unit_for_people(
    text: str, unit: str, shown: str
) -> None:
    from carebridge.records.selectors.wording import range_words

    assert range_words(text, unit) == shown
