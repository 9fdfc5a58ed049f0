"""The health record's section menu, for `records/base_record.html`.

Every record page shows the same thirteen links. Their URLs are reversed once per URL
configuration and script prefix, not thirteen times a page; the page's own link is marked.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

# (URL name, label, whether the link's pages lie beneath it: a result, a visit, a document.)
SECTIONS: tuple[tuple[str, Promise, bool], ...] = (
    ("records:summary", _("Summary"), False),
    ("records:results", _("Test results"), True),
    ("records:vitals", _("Vital signs"), False),
    ("records:medications", _("Medications"), False),
    ("records:allergies", _("Allergies"), False),
    ("records:problems", _("Health problems"), False),
    ("records:immunizations", _("Immunizations"), False),
    ("records:visits", _("Visits"), True),
    ("records:procedures", _("Procedures"), False),
    ("records:documents", _("Documents and notes"), True),
    ("records:care-team", _("Care team"), False),
    ("records:care-plans", _("Goals and care plans"), False),
    ("records:download", _("Download or send"), False),
)


@dataclass(frozen=True)
class NavLink:
    url: str
    label: Promise
    is_current: bool


@register.simple_tag
def record_nav(request: HttpRequest) -> list[NavLink]:
    """The menu's links, the one for this page (or the section it lies in) marked current."""
    path = request.path
    return [
        NavLink(url, label, path == url or (has_pages and path.startswith(url)))
        for url, label, has_pages in _links(
            get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
        )
    ]


@functools.lru_cache(maxsize=8)
def _links(urlconf: str, _script_prefix: str) -> tuple[tuple[str, Promise, bool], ...]:
    return tuple(
        (reverse(name, urlconf=urlconf), label, has_pages) for name, label, has_pages in SECTIONS
    )
