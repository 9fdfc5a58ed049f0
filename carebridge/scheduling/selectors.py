"""Reads for the appointments pages: the patient's appointments as their clinic's EHR sent them.

The EHR's FHIR Appointment resources are kept in the record store (`records.ClinicalResource`);
these selectors read only their index columns (start, end, status, kind of visit, clinician,
place; see `records.indexing.appointments`), never their JSON.

Privacy rule: every selector reads through `RecordScope`, so only appointments released to the
patient side are shown, never one entered in error, and, with `hides_sensitive` (anyone acting
for the patient), none labelled sensitive by its source. Callers check access first
(`scheduling.access`).
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.lib.links import id_url
from carebridge.messaging.models import CareRequestStatus
from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet
from carebridge.records.scope import RecordScope
from carebridge.records.selectors.wording import words_for
from carebridge.scheduling.availability import Slot
from carebridge.scheduling.models import (
    Appointment,
    AppointmentQuerySet,
    AppointmentStatus,
    OnlineBooking,
    VisitType,
    VisitTypeQuerySet,
    WaitlistEntry,
    WaitlistOffer,
)

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from carebridge.clinic.models import Practitioner
    from carebridge.patients.models import Patient

APPOINTMENT = "Appointment"
# Statuses of an appointment that is still to come, once its time is not past.
UPCOMING_STATUSES = ("booked", "pending", "arrived")
# A request to cancel or move an EHR appointment is open until the clinic has answered it.
OPEN_REQUEST_STATUSES = (CareRequestStatus.SUBMITTED, CareRequestStatus.IN_REVIEW)
# Statuses of an appointment booked here that is still to come, once its time is not past.
BOOKED_UPCOMING_STATUSES = (
    AppointmentStatus.REQUESTED,
    AppointmentStatus.BOOKED,
    AppointmentStatus.ARRIVED,
)
COLUMNS = (
    "pk",
    "api_id",
    "effective_at",
    "effective_end",
    "status",
    "code_display",
    "performer",
    "detail",
)
APPOINTMENT_STATUS: dict[str, Promise] = {
    "proposed": gettext_lazy("Being arranged"),
    "pending": gettext_lazy("Waiting to be confirmed"),
    "booked": gettext_lazy("Booked"),
    "arrived": gettext_lazy("Checked in"),
    "checked-in": gettext_lazy("Checked in"),
    "fulfilled": gettext_lazy("Attended"),
    "cancelled": gettext_lazy("Cancelled"),
    "noshow": gettext_lazy("Missed"),
    "waitlist": gettext_lazy("On the waiting list"),
}


@dataclass(frozen=True)
class AppointmentRow:
    """One appointment, ready to show; `starts_at` is shown in the clinic's time zone."""

    pk: int | uuid.UUID
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    kind: str
    clinician: str
    place: str
    status: str
    is_cancelled: bool
    # The appointment's page: to see it and change or cancel it (or ask the clinic to).
    detail_url: str = ""
    # Whether the patient (or someone for them) has checked in online for it.
    is_checked_in_online: bool = False
    # Whether a request to the clinic to cancel or move it is open (the clinic's own only).
    has_open_request: bool = False


class RowWords:
    """What the rows of one page share, worked out once for the page rather than once a row:
    each status in words (translated once per status met) and the address pattern of each
    kind of appointment page (one `reverse` each). Made per request, in its language."""

    def __init__(self) -> None:
        self._ehr: dict[str, str] = {}
        self._booked: dict[str, str] = {}

    @cached_property
    def unnamed_kind(self) -> str:
        return _("Appointment")

    @cached_property
    def clinic_url(self) -> Callable[[object], str]:
        return id_url("scheduling:clinic-appointment")

    @cached_property
    def booked_url(self) -> Callable[[object], str]:
        return id_url("scheduling:appointment-detail")

    def ehr_status(self, code: str) -> str:
        """An EHR appointment's status in words (`APPOINTMENT_STATUS`)."""
        if code not in self._ehr:
            self._ehr[code] = words_for(APPOINTMENT_STATUS, code)
        return self._ehr[code]

    def booked_status(self, code: str) -> str:
        """The status of an appointment booked here, in words (its choice's label)."""
        if code not in self._booked:
            self._booked[code] = str(AppointmentStatus(code).label)
        return self._booked[code]


def appointment_rows(patient: Patient, *, hides_sensitive: bool) -> ClinicalResourceQuerySet:
    """The patient's appointments this viewer may see, index columns only."""
    scope = RecordScope(patient=patient, hides_sensitive=hides_sensitive)
    return scope.resources().of_type(APPOINTMENT).only(*COLUMNS)


def upcoming_filter(now: datetime.datetime) -> Q:
    return Q(status__in=UPCOMING_STATUSES, effective_at__gte=now)


def booked_rows(patient: Patient) -> AppointmentQuerySet:
    """The patient's appointments booked in Carebridge, with what a row shows."""
    related = ("practitioner", "location", "visit_type", "check_in")
    return Appointment.objects.for_patient(patient).select_related(*related)


def booked_upcoming_filter(now: datetime.datetime) -> Q:
    return Q(status__in=BOOKED_UPCOMING_STATUSES, starts_at__gte=now)


def booked_to_row(row: Appointment, words: RowWords | None = None) -> AppointmentRow:
    words = words or RowWords()
    return AppointmentRow(
        pk=row.pk,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        kind=row.visit_type.name,
        clinician=row.practitioner.display_name,
        place=row.location.name,
        status=words.booked_status(row.status),
        is_cancelled=row.status == AppointmentStatus.CANCELLED,
        detail_url=words.booked_url(row.pk),
        is_checked_in_online=hasattr(row, "check_in"),
    )


def get_booked_appointment(patient: Patient, appointment_id: uuid.UUID) -> Appointment | None:
    """One of the patient's appointments booked in Carebridge, with the clinic, the place and
    who booked it; None when the patient has no such appointment (one query)."""
    related = ("practitioner", "location", "visit_type__clinic", "booked_by", "patient__clinic")
    rows = Appointment.objects.for_patient(patient).select_related(*related)
    return rows.filter(pk=appointment_id).first()


def get_next_appointment(
    patient: Patient, *, hides_sensitive: bool, now: datetime.datetime
) -> AppointmentRow | None:
    """The soonest upcoming appointment, from the EHR's or those booked in Carebridge, or None
    (two queries). Appointments booked here carry no sensitivity label: nothing is hidden."""
    rows = appointment_rows(patient, hides_sensitive=hides_sensitive)
    from_ehr = rows.filter(upcoming_filter(now)).order_by("effective_at", "pk").first()
    booked = booked_rows(patient).filter(booked_upcoming_filter(now))
    booked_here = booked.order_by("starts_at", "pk").first()
    candidates = [clinic_row(from_ehr)] if from_ehr is not None else []
    if booked_here is not None:
        candidates.append(booked_to_row(booked_here))
    if not candidates:
        return None
    return min(candidates, key=lambda row: row.starts_at or now)


def to_row(row: ClinicalResource, words: RowWords | None = None) -> AppointmentRow:
    words = words or RowWords()
    return AppointmentRow(
        pk=row.pk,
        starts_at=row.effective_at,
        ends_at=row.effective_end,
        kind=row.code_display or words.unnamed_kind,
        clinician=row.performer,
        place=row.detail,
        status=words.ehr_status(row.status),
        is_cancelled=row.status == "cancelled",
    )


def clinic_row(row: ClinicalResource, words: RowWords | None = None) -> AppointmentRow:
    """An EHR appointment as the patient's pages show it, linked to its page."""
    words = words or RowWords()
    return dataclasses.replace(to_row(row, words), detail_url=words.clinic_url(row.api_id))


@dataclass(frozen=True)
class VisitTypeChoices:
    """The kinds of visit a patient may book online, and those to ask the clinic for."""

    bookable: VisitTypeQuerySet
    ask_only: list[VisitType]


def list_visit_types(patient: Patient, *, is_established: bool) -> VisitTypeChoices:
    """The clinic's offered visit types, split by whether this patient may book them online:
    types for patients seen before are bookable only by an established patient (two queries)."""
    offered = VisitType.objects.for_clinic(patient.clinic).active()
    allowed = [OnlineBooking.EVERYONE] + ([OnlineBooking.ESTABLISHED] if is_established else [])
    return VisitTypeChoices(
        bookable=offered.filter(online_booking__in=allowed),
        ask_only=list(offered.exclude(online_booking__in=allowed)),
    )


@dataclass(frozen=True)
class DayOfTimes:
    """The free times of one day in the clinic's calendar, soonest first; `hidden` more of
    them are behind the day's "More times" link."""

    day: datetime.date
    slots: list[Slot]
    hidden: int = 0


@dataclass(frozen=True)
class DaysOfTimes:
    """One page of the times page: the first days with free times, each cut to its first
    times unless it is the day opened in full, and the day the next page starts from."""

    days: list[DayOfTimes]
    next_from: datetime.date | None


def page_of_days(
    days: list[DayOfTimes], *, days_shown: int, times_per_day: int, opened: datetime.date | None
) -> DaysOfTimes:
    """The first `days_shown` days, each with its first `times_per_day` times (all of them for
    the day `opened`); the next page starts the day after the last one shown."""
    shown = [
        day
        if day.day == opened or len(day.slots) <= times_per_day
        else DayOfTimes(day.day, day.slots[:times_per_day], len(day.slots) - times_per_day)
        for day in days[:days_shown]
    ]
    next_from = shown[-1].day + datetime.timedelta(days=1) if shown else None
    return DaysOfTimes(shown, next_from)


def get_own_clinician(patient: Patient, visit_type: VisitType) -> Practitioner | None:
    """The patient's own clinician for this kind of visit: whoever saw them at their latest
    attended visit booked in Carebridge, if they offer this kind of visit; else None (one
    query)."""
    seen = Appointment.objects.for_patient(patient).completed()
    seen = seen.filter(practitioner__in=visit_type.practitioners.all())
    latest = seen.select_related("practitioner").order_by("-starts_at").first()
    return latest.practitioner if latest is not None else None


def group_by_day(slots: list[Slot], zone: ZoneInfo) -> list[DayOfTimes]:
    """Slots (sorted by start) grouped by the clinic's local date."""
    days: list[DayOfTimes] = []
    for slot in slots:
        day = slot.starts_at.astimezone(zone).date()
        if not days or days[-1].day != day:
            days.append(DayOfTimes(day, []))
        days[-1].slots.append(slot)
    return days


def get_waitlist_entry(patient: Patient, entry_id: uuid.UUID) -> WaitlistEntry | None:
    """One of the patient's waitlist entries, or None (one query)."""
    related = ("visit_type__clinic", "practitioner", "location", "appointment", "patient")
    rows = WaitlistEntry.objects.for_patient(patient).select_related(*related)
    return rows.filter(pk=entry_id).first()


def get_waitlist_offer(patient: Patient, offer_id: uuid.UUID) -> WaitlistOffer | None:
    """One offer of an earlier time made to the patient, with its entry, or None (one query)."""
    related = (
        "entry__visit_type__clinic",
        "entry__appointment",
        "entry__patient",
        "practitioner",
        "location",
    )
    rows = WaitlistOffer.objects.filter(entry__patient=patient).select_related(*related)
    return rows.filter(pk=offer_id).first()
