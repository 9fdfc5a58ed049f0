"""The health record's section menu, for `records/base_record.html`.

Every record page shows one link for each of the thirteen parts of the record the viewer may
see, in the frame the page is shown in (`records.links`: the patient's pages, or a chart in the
clinic console). Their URLs are reversed once per frame, URL configuration and script prefix,
not thirteen times a page; the page's own link is marked.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django import template
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.records.links import record_url

register = template.Library()

# (URL name in the `records` namespace, label, whether the link's pages lie beneath it: a
# result, a visit, a document; and the part of the record, from `proxies.acting.RECORD_PARTS`,
# the link leads to.) Only the parts the viewer may see are reversed: a frame such as the
# console's chart has no page for a part nobody there may see ("download").
SECTIONS: tuple[tuple[str, Promise, bool, str], ...] = (
    ("summary", _("Summary"), False, "summary"),
    ("results", _("Test results"), True, "results"),
    ("vitals", _("Vital signs"), False, "vitals"),
    ("medications", _("Medications"), False, "medications"),
    ("allergies", _("Allergies"), False, "allergies"),
    ("problems", _("Health problems"), False, "problems"),
    ("immunizations", _("Immunizations"), False, "immunizations"),
    ("visits", _("Visits"), True, "visits"),
    ("procedures", _("Procedures"), False, "procedures"),
    ("documents", _("Documents and notes"), True, "documents"),
    ("care-team", _("Care team"), False, "care_team"),
    ("care-plans", _("Goals and care plans"), False, "care_plans"),
    ("download", _("Download or send"), False, "download"),
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
    links = []
    for url, label, has_pages in _links(request):
        links.append(NavLink(url, label, path == url or (has_pages and path.startswith(url))))
    return links


def first_part_url(request: HttpRequest) -> str:
    """Where "My record" leads: the first part of the record the viewer may see (the summary,
    for a patient; allergies, say, for a teenager's parent). The summary when there is none."""
    return next((url for url, _label, _pages in _links(request)), record_url("summary"))


def _links(request: HttpRequest) -> Iterator[tuple[str, Promise, bool]]:
    may_see_part = request.acting.may_see_part  # type: ignore[attr-defined]
    for name, label, has_pages, part in SECTIONS:
        if may_see_part(part):
            yield record_url(name), label, has_pages
