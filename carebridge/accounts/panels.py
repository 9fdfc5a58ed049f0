"""The account's contribution to the home page: things to do to keep the account safe."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.accounts.kept import has_two_step
from carebridge.home.panels import HomePanel


@dataclass(frozen=True)
class ToDo:
    text: str
    url: str
    action: str


def todo_panel(request: HttpRequest) -> HomePanel:
    items = []
    if not has_two_step(request.user):
        items.append(
            ToDo(
                text=_("Protect your account with two-step verification."),
                url=reverse("mfa_index"),
                action=_("Set it up"),
            )
        )
    return HomePanel(
        title=_("To do"),
        template="accounts/panels/todo.html",
        empty_text=_("You have nothing to do right now."),
        items=items,
    )
