"""The header's language switch: which language it offers, named in that language."""

from __future__ import annotations

from django import template

from carebridge.accounts.languages import OWN_NAMES, other_language

register = template.Library()


@register.simple_tag
def other_language_choice(current: str) -> dict[str, str] | None:
    code = other_language(current)
    return {"code": code, "name": OWN_NAMES.get(code, code)} if code else None
