"""`{% load billing_pages %}`: words and links of the billing pages.

- `{{ cents|unsigned_money }}`: an amount without its sign ("Payment of $25.00" for -2500).
- `{% statement_staff_url thread %}`: where staff see the account of the patient a billing
  question is about, or "" while that page does not exist (the billing console is another
  part of billing and may not be installed).
"""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from carebridge.billing.money import format_cents

register = template.Library()


@register.filter
def unsigned_money(cents: int | None, currency: str = "USD") -> str:
    if cents is None or cents == "":
        return ""
    return format_cents(abs(int(cents)), currency)


@register.simple_tag
def statement_staff_url(patient_id: object) -> str:
    try:
        return reverse("staff:billing-account", args=[patient_id])
    except NoReverseMatch:
        return ""
