"""Template filters of the booking pages."""

from __future__ import annotations

from django import template

from carebridge.scheduling import forms
from carebridge.scheduling.availability import Slot

register = template.Library()


@register.filter
def time_value(slot: Slot) -> str:
    """A free time as the value of a time choice (ids and the start; no health information)."""
    return forms.time_value(slot)
