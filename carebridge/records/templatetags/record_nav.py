"""The health record's section menu, for `records/base_record.html`.

Every record page shows one link for each of the thirteen parts of the record the viewer may
see. Their URLs are reversed once per URL configuration and script prefix, not thirteen times a
page; the page's own link is marked.
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

# (URL name, label, whether the link's pages lie beneath it: a result, a visit, a document;
# and the part of the record, from `proxies.acting.RECORD_PARTS`, the link leads to.)
SECTIONS: tuple[tuple[str, Promise, bool, str], ...] = (
    ("records:summary", _("Summary"), False, "summary"),
    ("records:results", _("Test results"), True, "results"),
    ("records:vitals", _("Vital signs"), False, "vitals"),
    ("records:medications", _("Medications"), False, "medications"),
    ("records:allergies", _("Allergies"), False, "allergies"),
    ("records:problems", _("Health problems"), False, "problems"),
    ("records:immunizations", _("Immunizations"), False, "immunizations"),
    ("records:visits", _("Visits"), True, "visits"),
    ("records:procedures", _("Procedures"), False, "procedures"),
    ("records:documents", _("Documents and notes"), True, "documents"),
    ("records:care-team", _("Care team"), False, "care_team"),
    ("records:care-plans", _("Goals and care plans"), False, "care_plans"),
    ("records:download", _("Download or send"), False, "download"),
)


@dataclass(frozen=True)
class NavLink:
    url: str
    label: Promise
    is_current: bool


@register.simple_tag
def record_nav(request: HttpRequest) -> list[NavLink]:
    """The menu's links to the parts of the record the viewer may see, the one for this page
    (or the section it lies in) marked current."""
    path = request.path
    may_see_part = request.acting.may_see_part  # type: ignore[attr-defined]
    return [
        NavLink(url, label, path == url or (has_pages and path.startswith(url)))
        for url, label, has_pages, part in _links(
            get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
        )
        if may_see_part(part)
    ]


def first_part_url(request: HttpRequest) -> str:
    """Where "My record" leads: the first part of the record the viewer may see (the summary,
    for a patient; allergies, say, for a teenager's parent). The summary when there is none."""
    may_see_part = request.acting.may_see_part  # type: ignore[attr-defined]
    links = _links(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return next((url for url, _label, _pages, part in links if may_see_part(part)), links[0][0])


@functools.lru_cache(maxsize=8)
def _links(urlconf: str, _script_prefix: str) -> tuple[tuple[str, Promise, bool, str], ...]:
    return tuple(
        (reverse(name, urlconf=urlconf), label, has_pages, part)
        for name, label, has_pages, part in SECTIONS
    )
