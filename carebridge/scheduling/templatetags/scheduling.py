"""Template filters of the booking pages."""

from __future__ import annotations

import datetime

from django import template

from carebridge.scheduling import forms
from carebridge.scheduling.availability import Slot

register = template.Library()


@register.filter
def time_value(slot: Slot) -> str:
    """A free time as the value of a time choice (ids and the start; no health information)."""
    return forms.time_value(slot)


@register.filter
def stored_datetime(value: object) -> datetime.datetime | None:
    """An ISO 8601 date-time kept as text (a request's details), as a datetime to format with
    the named formats; None when it is not one."""
    try:
        return datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def iso_date(value: datetime.date) -> str:
    """A day as an address and an anchor carry it (YYYY-MM-DD), never shown as words."""
    return value.isoformat()
