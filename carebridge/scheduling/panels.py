"""Appointments' contribution to the home page: the next appointment, or that there is none."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.http import PortalRequest
from carebridge.home.panels import HomePanel
from carebridge.records.selectors.wording import clinic_zone
from carebridge.scheduling.access import appointments_patient, record_appointments_view
from carebridge.scheduling.selectors import get_next_appointment


def appointments_panel(request: HttpRequest) -> HomePanel | None:
    """The next upcoming appointment (when, with whom, where; never the kind of visit or its
    reason), for a viewer who may see the patient's appointments; None for anyone else.

    Sensitive appointments are left out for a viewer they are hidden from. Audit: showing an
    appointment is recorded as a view of the patient's appointments (that appointment's id);
    saying there is none is not.
    """
    portal = cast(PortalRequest, request)
    patient = appointments_patient(portal)
    if patient is None:
        return None
    upcoming = get_next_appointment(
        patient, hides_sensitive=portal.acting.hides_sensitive, now=timezone.now()
    )
    if upcoming is not None:
        record_appointments_view(portal, patient, object_id=upcoming.pk)
    if portal.acting.is_proxy:
        empty = _("%(name)s has no upcoming appointments.") % {"name": patient.display_name}
    else:
        empty = _("You have no upcoming appointments.")
    return HomePanel(
        title=_("Appointments"),
        template="scheduling/panel.html",
        empty_text=empty,
        items=[{"appointment": upcoming, "zone": clinic_zone(patient).key}] if upcoming else [],
        link_url=reverse("scheduling:appointments"),
        link_text=_("See all appointments"),
    )
