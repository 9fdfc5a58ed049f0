"""`{% load money %}`, then `{{ cents|money }}`: whole cents written as "$1,234.56"."""

from __future__ import annotations

from django import template

from carebridge.billing.money import format_cents

register = template.Library()


@register.filter
def money(cents: int | None, currency: str = "USD") -> str:
    """An amount in cents for people; empty for None."""
    if cents is None or cents == "":
        return ""
    return format_cents(int(cents), currency)
