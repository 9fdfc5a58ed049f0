"""What the appointment pages show about one appointment booked in Carebridge, in words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.scheduling.ics import address_words
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    BookedAs,
    CheckIn,
    VisitMode,
    VisitType,
    WaitlistEntry,
)
from carebridge.scheduling.services import (
    CANCELLABLE_STATUSES,
    CheckInState,
    check_in_state,
    check_may_cancel,
    opens_on_words,
)
from carebridge.scheduling.services.checkin import CheckInTarget

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


@dataclass(frozen=True)
class VideoVisit:
    """A video visit still to happen: whether it may be joined now, and from when."""

    opens_at: datetime.datetime
    is_open: bool


def video_join_url(appointment: Appointment) -> str:
    """The video provider's address of the appointment's room (`CAREBRIDGE_VIDEO_URL_PATTERN`)."""
    return settings.CAREBRIDGE_VIDEO_URL_PATTERN.replace("{room}", appointment.video_room)


def video_visit(appointment: Appointment, now: datetime.datetime) -> VideoVisit | None:
    """For an active video appointment that has not ended: when joining opens
    (`CAREBRIDGE_VIDEO_JOIN_MINUTES` before the start) and whether it is open now."""
    if appointment.visit_type.mode != VisitMode.VIDEO or not appointment.is_active:
        return None
    if now >= appointment.ends_at:
        return None
    opens_at = appointment.starts_at - datetime.timedelta(
        minutes=settings.CAREBRIDGE_VIDEO_JOIN_MINUTES
    )
    return VideoVisit(opens_at=opens_at, is_open=now >= opens_at)


def is_waiting_for_earlier(appointment: Appointment) -> bool:
    """Whether the patient is on the waiting list for an earlier time than this one (a query)."""
    if appointment.status != AppointmentStatus.BOOKED:
        return False
    return WaitlistEntry.objects.waiting().filter(appointment=appointment).exists()


def detail_context(
    appointment: Appointment, now: datetime.datetime | None = None
) -> dict[str, Any]:
    """The template context of the appointment page and of the pages that act on it."""
    address = address_words(appointment.location)
    return {
        "video": video_visit(appointment, now or timezone.now()),
        "is_waiting": is_waiting_for_earlier(appointment),
        "join_minutes": settings.CAREBRIDGE_VIDEO_JOIN_MINUTES,
        "appointment": appointment,
        "clinic": appointment.visit_type.clinic,
        "address": address,
        "directions_url": directions_url(address),
        "booked_by": booked_by_words(appointment),
        "is_cancelled": appointment.status == AppointmentStatus.CANCELLED,
        # Whether to offer moving and cancelling; the pages check the window themselves.
        "can_change": appointment.status in CANCELLABLE_STATUSES,
        "time_zone": appointment.visit_type.clinic.time_zone,
        "check_in": check_in_status(appointment, now or timezone.now()),
    }


def change_refusal(appointment: Appointment, acting_as: str, now: datetime.datetime) -> str:
    """Why the viewer may not cancel or move this appointment online and what to do instead
    (call the clinic), or "" when they may: the page offers "Cancel" only when the rules allow."""
    if appointment.status not in CANCELLABLE_STATUSES:
        return ""
    try:
        check_may_cancel(appointment, acting_as, now)
    except ValidationError:
        words = {
            "hours": appointment.visit_type.cancel_before_hours,
            "phone": appointment.patient.clinic.phone,
        }
        return (
            _(
                "This appointment can no longer be cancelled or moved online, because it is less "
                "than %(hours)s hours away. To cancel or move it, please call the clinic on "
                "%(phone)s."
            )
            % words
        )
    return ""


def window_warning(
    visit_type: VisitType, starts_at: datetime.datetime, phone: str, now: datetime.datetime
) -> str:
    """The confirm step's warning when the chosen time is inside the clinic's cancellation
    window (`cancel_before_hours`), so it could not be cancelled or moved online; else ""."""
    hours = visit_type.cancel_before_hours
    if starts_at - now >= datetime.timedelta(hours=hours):
        return ""
    return _(
        "If you book this time you will not be able to cancel it online, because it is less "
        "than %(hours)s hours away. To cancel it, you would need to call the clinic on "
        "%(phone)s."
    ) % {"hours": hours, "phone": phone}


@dataclass(frozen=True)
class CheckInStatus:
    """Online check-in of one appointment: open, not yet (from `opens_on`) or closed, and
    when it was done (None: not yet done)."""

    state: CheckInState
    opens_on: str
    completed_at: datetime.datetime | None
    # The check-in page of this appointment (booked here, or by the clinic in its system).
    url: str = ""

    @property
    def is_open(self) -> bool:
        return self.state is CheckInState.OPEN

    @property
    def is_not_yet(self) -> bool:
        return self.state is CheckInState.NOT_YET


def check_in_status(appointment: Appointment, now: datetime.datetime) -> CheckInStatus:
    """Where the appointment stands for online check-in (one query)."""
    done = CheckIn.objects.filter(appointment=appointment).values_list("completed_at", flat=True)
    return CheckInStatus(
        state=check_in_state(appointment, now),
        opens_on=opens_on_words(appointment),
        completed_at=done.first(),
        url=reverse("scheduling:appointment-check-in", args=[appointment.pk]),
    )


def clinic_check_in_status(
    target: CheckInTarget, completed_at: datetime.datetime | None, url: str, now: datetime.datetime
) -> CheckInStatus:
    """Where an appointment the clinic booked in its own system stands for online check-in."""
    return CheckInStatus(
        state=check_in_state(target, now),
        opens_on=opens_on_words(target),
        completed_at=completed_at,
        url=url,
    )
