"""What the appointment pages show about one appointment booked in Carebridge, in words."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from carebridge.scheduling.ics import address_words
from carebridge.scheduling.models import Appointment, AppointmentStatus, BookedAs
from carebridge.scheduling.services import CANCELLABLE_STATUSES

DIRECTIONS_URL = "https://www.openstreetmap.org/search?"


def directions_url(address: str) -> str:
    """A map search for the street address only (never the patient's or the visit's details)."""
    return DIRECTIONS_URL + urlencode({"query": address})


def booked_by_words(appointment: Appointment) -> str:
    """Who booked the appointment: the patient, a caregiver or parent for them, or the clinic."""
    patient = appointment.patient.display_name
    if appointment.booked_as == BookedAs.PROXY and appointment.booked_by is not None:
        names = {"proxy": appointment.booked_by.display_name, "patient": patient}
        return _("Booked by %(proxy)s for %(patient)s") % names
    if appointment.booked_as == BookedAs.SELF:
        return _("Booked by %(patient)s") % {"patient": patient}
    return _("Booked by the clinic")


def detail_context(appointment: Appointment) -> dict[str, Any]:
    """The template context of the appointment page and of the pages that act on it."""
    address = address_words(appointment.location)
    return {
        "appointment": appointment,
        "clinic": appointment.visit_type.clinic,
        "address": address,
        "directions_url": directions_url(address),
        "booked_by": booked_by_words(appointment),
        "is_cancelled": appointment.status == AppointmentStatus.CANCELLED,
        # Whether to offer moving and cancelling; the pages check the window themselves.
        "can_change": appointment.status in CANCELLABLE_STATUSES,
        "time_zone": appointment.visit_type.clinic.time_zone,
    }
