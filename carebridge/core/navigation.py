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
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    is_visible: Callable[[HttpRequest], bool]

    def url(self) -> str:
        return reverse(self.url_name)


def _is_patient_side(request: HttpRequest) -> bool:
    acting = getattr(request, "acting", None)
    return bool(acting and acting.patient is not None)


def _is_staff(request: HttpRequest) -> bool:
    acting = getattr(request, "acting", None)
    return bool(acting and acting.is_staff)


def _always(request: HttpRequest) -> bool:
    return True


SECTIONS: list[NavItem] = [
    NavItem(_("Home"), "home:home", _is_patient_side),
    NavItem(_("My record"), "records:summary", _is_patient_side),
    NavItem(_("Clinic console"), "staff:console", _is_staff),
    NavItem(_("My account"), "accounts:overview", _always),
    NavItem(_("Help"), "home:help", _always),
]


def navigation_for(request: HttpRequest) -> list[dict[str, str]]:
    current = request.path
    items = []
    for item in SECTIONS:
        if not item.is_visible(request):
            continue
        url = item.url()
        is_current = current == url if url == "/" else current.startswith(url)
        items.append(
            {"label": str(item.label), "url": url, "current": "page" if is_current else ""}
        )
    return items
