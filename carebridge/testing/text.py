"""Checking that a text does not mention something, as a reader would see it."""

from __future__ import annotations

import re


def mentions(text: str, word: str) -> bool:
    """Whether `word` stands in `text` on its own, not inside a longer run of letters and
    digits: a random link key or form token may contain "Pat" without naming anyone."""
    pattern = rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])"
    return re.search(pattern, text) is not None
