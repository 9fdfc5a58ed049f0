"""WCAG contrast: the luminance and ratio figures match the ones WCAG's own examples give."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.lib.contrast import (
    contrast_ratio,
    darker,
    is_hex_colour,
    relative_luminance,
)

colours = st.integers(0, 0xFFFFFF).map(lambda value: f"#{value:06x}")


def test_black_and_white_are_the_extremes() -> None:
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("colour", "ratio"),
    [
        # Well-known figures: #767676 is the lightest grey that passes AA on white.
        ("#767676", 4.54),
        ("#777777", 4.48),
        ("#ff0000", 4.0),
        ("#0000ff", 8.59),
    ],
)
def test_ratios_against_white(colour: str, ratio: float) -> None:
    assert round(contrast_ratio(colour, "#FFFFFF"), 2) == ratio


@given(colours, colours)
def test_the_ratio_is_symmetric_and_bounded(first: str, second: str) -> None:
    ratio = contrast_ratio(first, second)
    assert ratio == contrast_ratio(second, first)
    assert 1.0 <= ratio <= 21.0 + 1e-9


@given(colours)
def test_the_darker_shade_never_has_less_contrast_with_white(colour: str) -> None:
    shade = darker(colour)
    assert is_hex_colour(shade)
    assert contrast_ratio(shade, "#ffffff") >= contrast_ratio(colour, "#ffffff") - 1e-9


@pytest.mark.parametrize("value", ["#0b539", "0b5394", "#0b5394 ", "#gggggg", "", "red"])
def test_only_rrggbb_is_a_colour(value: str) -> None:
    assert not is_hex_colour(value)
    with pytest.raises(ValueError, match="not a #rrggbb colour"):
        relative_luminance(value)


def test_todays_brand_colour_passes_aa() -> None:
    assert contrast_ratio("#0b5394", "#ffffff") >= 4.5


def test_darker_scales_each_channel() -> None:
    assert darker("#0b5394") == "#073660"
    assert darker("#ffffff", 0.5) == "#808080"
