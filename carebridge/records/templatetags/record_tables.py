"""Template help for tables built from data: each cell paired with its column's heading, so a
stacked row (`table.stack`, see static/css/carebridge.css) can label every cell."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

register = template.Library()


@register.filter
def with_columns(cells: Sequence[Any], columns: Sequence[Any]) -> list[tuple[Any, Any]]:
    """[(cell, its column heading), ...]; a row with more cells than headings keeps them all."""
    headings = list(columns) + [""] * max(0, len(cells) - len(columns))
    return list(zip(cells, headings, strict=False))
