"""Colour contrast as WCAG 2 defines it: the relative luminance of an sRGB colour and the
contrast ratio of two colours, from 1:1 (the same) to 21:1 (black on white).

WCAG AA asks for at least 4.5:1 between ordinary text and its background.
"""

from __future__ import annotations

import re

AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def is_hex_colour(value: str) -> bool:
    """Whether `value` is a colour written as #rrggbb."""
    return _HEX.fullmatch(value) is not None


def _channel(value: int) -> float:
    # sRGB to linear light, with the thresholds of WCAG 2's definition.
    scaled = value / 255
    return scaled / 12.92 if scaled <= 0.04045 else ((scaled + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """The relative luminance (0 for black, 1 for white) of a #rrggbb colour."""
    if not is_hex_colour(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    red, green, blue = (_channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """The contrast ratio of two #rrggbb colours, in either order (1.0 to 21.0)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darker(colour: str, factor: float = 0.65) -> str:
    """The colour with each channel scaled towards black (for hover states and borders)."""
    if not is_hex_colour(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = (round(int(colour[i : i + 2], 16) * factor) for i in (1, 3, 5))
    return "#" + "".join(f"{value:02x}" for value in channels)
