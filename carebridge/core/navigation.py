"""The top navigation: one entry per section that exists and that the viewer may use.

Each section registers itself in `SECTIONS`; later sections (record, appointments, messages,
billing) add an entry when they are built, so the navigation never shows what does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from carebridge.proxies.acting import ActingContext, Relationship


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    is_visible: Callable[[HttpRequest], bool]
    # The label while acting for someone else ("My record" would then be wrong).
    proxy_label: str | Promise = ""
    # Where the entry leads for this viewer, when not always `url_name` (a section whose first
    # page depends on what the viewer may see). Dotted path to a function of the request.
    url_for: str = ""
    # How many things are waiting in the section for this viewer (unread messages), shown
    # beside the label. Dotted path to a function of the request returning a number.
    count_for: str = ""

    def url(self, request: HttpRequest) -> str:
        if self.url_for:
            return str(import_string(self.url_for)(request))
        return reverse(self.url_name)

    def label_for(self, request: HttpRequest) -> str:
        acting = getattr(request, "acting", None)
        if self.proxy_label and acting is not None and acting.is_proxy:
            return str(self.proxy_label)
        return str(self.label)

    def count(self, request: HttpRequest) -> int:
        return int(import_string(self.count_for)(request)) if self.count_for else 0


def _has_home(request: HttpRequest) -> bool:
    """Patients, and those who help someone (their home page lists whom)."""
    acting = getattr(request, "acting", None)
    return bool(
        acting and not _is_reading_a_chart(acting) and (acting.patient is not None or acting.helped)
    )


def _may_see_record(request: HttpRequest) -> bool:
    acting = getattr(request, "acting", None)
    return bool(
        acting
        and not _is_reading_a_chart(acting)
        and acting.patient is not None
        and acting.record_parts != frozenset()
    )


def _is_reading_a_chart(acting: ActingContext) -> bool:
    # Staff reading a patient's chart in the console act on that patient, but in the console's
    # frame: the patient's own home and record entries are not theirs. (A member of staff who
    # is a patient too, or who helps someone, acts as themselves or as a proxy elsewhere.)
    return acting.relationship is Relationship.STAFF and acting.patient is not None


def _may_see_appointments(request: HttpRequest) -> bool:
    acting = getattr(request, "acting", None)
    return bool(acting and acting.may("appointments"))


def _may_see_messages(request: HttpRequest) -> bool:
    acting = getattr(request, "acting", None)
    return bool(acting and acting.patient is not None and acting.may("messaging"))


def _may_see_bills(request: HttpRequest) -> bool:
    acting = getattr(request, "acting", None)
    return bool(acting and acting.patient is not None and acting.may("billing"))


def _is_staff(request: HttpRequest) -> bool:
    acting = getattr(request, "acting", None)
    return bool(acting and acting.is_staff)


def _always(request: HttpRequest) -> bool:
    return True


SECTIONS: list[NavItem] = [
    NavItem(_("Home"), "home:home", _has_home),
    NavItem(
        _("My record"),
        "records:summary",
        _may_see_record,
        proxy_label=_("Health record"),
        url_for="carebridge.records.templatetags.record_nav.first_part_url",
    ),
    NavItem(_("Appointments"), "scheduling:appointments", _may_see_appointments),
    NavItem(
        _("Messages"),
        "messaging:threads",
        _may_see_messages,
        count_for="carebridge.messaging.panels.unread_count",
    ),
    NavItem(_("Bills"), "billing:summary", _may_see_bills),
    NavItem(_("Clinic console"), "staff:console", _is_staff),
    NavItem(_("My account"), "accounts:overview", _always),
    NavItem(_("Help"), "home:help", _always),
]


def navigation_for(request: HttpRequest) -> list[dict[str, str | int]]:
    current = request.path
    items = []
    for item in SECTIONS:
        if not item.is_visible(request):
            continue
        url = item.url(request)
        # The section is current on any of its pages, wherever its entry leads.
        section = reverse(item.url_name)
        is_current = current == section if section == "/" else current.startswith(section)
        items.append(
            {
                "label": item.label_for(request),
                "url": url,
                "current": "page" if is_current else "",
                "count": item.count(request),
            }
        )
    return items
