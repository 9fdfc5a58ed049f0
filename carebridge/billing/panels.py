"""Billing's contribution to the home page: the amount due and by when, or nothing when
nothing is owed."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.billing.access import record_billing_view
from carebridge.billing.selectors.summary import get_amount_due
from carebridge.core.http import PortalRequest
from carebridge.home.panels import HomePanel
from carebridge.proxies.models import ProxyScope


def billing_panel(request: HttpRequest) -> HomePanel | None:
    """What the patient owes and the earliest due date, for a viewer with the billing scope
    (the patient, or a caregiver or parent who has it); None for anyone else, and when nothing
    is owed. At most two queries (the account, then the due date). Audit: showing an amount is
    a view of the patient's bills; showing nothing is not recorded."""
    portal = cast(PortalRequest, request)
    patient = portal.acting.patient
    # Asked first, so that a proxy without the scope is not audited as denied on every visit
    # to the home page: the panel simply is not theirs.
    if patient is None or not portal.acting.may(ProxyScope.BILLING):
        return None
    due = get_amount_due(patient)
    if due is None:
        return None
    record_billing_view(portal, patient, object_type="billing_panel")
    return HomePanel(
        title=_("Bills"),
        template="billing/panel.html",
        empty_text="",
        items=[due],
        link_url=reverse("billing:summary"),
        link_text=_("See the bills and pay"),
    )
