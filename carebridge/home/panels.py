"""Home-page panels. Each section of the portal contributes one through a provider function.

`CAREBRIDGE_HOME_PANELS` lists the providers; later sections (appointments, messages, results,
billing) add theirs there, so the home page grows without this module knowing about them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class HomePanel:
    """One panel: a heading, a template to render it, and what to say when it is empty."""

    title: str
    template: str
    empty_text: str
    items: list[Any] = field(default_factory=list)
    link_url: str = ""
    link_text: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.items


PanelProvider = Callable[[HttpRequest], HomePanel | None]


def load_panels(request: HttpRequest) -> list[HomePanel]:
    panels = []
    for dotted_path in settings.CAREBRIDGE_HOME_PANELS:
        provider: PanelProvider = import_string(dotted_path)
        panel = provider(request)
        if panel is not None:
            panels.append(panel)
    return panels
