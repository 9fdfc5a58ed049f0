"""Messages' contribution to the home page: how many conversations have something unread."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carebridge.accounts.models import User
from carebridge.core.http import PortalRequest
from carebridge.home.panels import HomePanel
from carebridge.messaging.kept_counts import kept_unread_count
from carebridge.messaging.services import MESSAGING_SCOPE
from carebridge.patients.models import Patient

# Where a request keeps the count of unread conversations once it has been queried.
UNREAD_ATTRIBUTE = "_carebridge_unread_messages"


def messages_panel(request: HttpRequest) -> HomePanel | None:
    """The number of unread conversations (never a subject or a sender), for a viewer who may
    use the patient's messages; None for anyone else. Saying how many is not a view of any
    message, so nothing is audited."""
    portal = cast(PortalRequest, request)
    patient = portal.acting.patient
    if patient is None or not portal.acting.may(MESSAGING_SCOPE) or portal.user.is_anonymous:
        return None
    unread = unread_once(portal, patient, portal.user)
    items = []
    if unread:
        text = ngettext(
            "%(count)d conversation has a message you have not read.",
            "%(count)d conversations have messages you have not read.",
            unread,
        ) % {"count": unread}
        items.append({"text": text})
    return HomePanel(
        title=_("Messages"),
        template="messaging/panel.html",
        empty_text=_("No new messages."),
        items=items,
        link_url=reverse("messaging:threads"),
        link_text=_("Go to messages"),
    )


def unread_count(request: HttpRequest) -> int:
    """The navigation's count beside "Messages": unread conversations of the patient the viewer
    acts for (the entry is shown only to those who may use their messages). Kept between
    requests (messaging/kept_counts.py), else one query; nothing
    is audited, as for the home panel."""
    portal = cast(PortalRequest, request)
    patient = portal.acting.patient
    if patient is None or portal.user.is_anonymous:
        return 0
    return unread_once(portal, patient, portal.user)


def unread_once(portal: PortalRequest, patient: Patient, viewer: User) -> int:
    """The count, queried once per request: the home page shows it in its panel and in the
    navigation."""
    counted: int | None = getattr(portal, UNREAD_ATTRIBUTE, None)
    if counted is None:
        hidden = portal.acting.hides_patients_own_messages
        counted = kept_unread_count(patient, viewer, hides_patients_own=hidden)
        setattr(portal, UNREAD_ATTRIBUTE, counted)
    return counted
