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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.messaging.models import CareRequest, CareRequestStatus, RequestKind
from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet
from carebridge.records.scope import RecordScope
from carebridge.records.selectors.sections import RowPage, page_of
from carebridge.records.selectors.wording import words_for
from carebridge.scheduling.availability import Slot
from carebridge.scheduling.models import (
    Appointment,
    AppointmentQuerySet,
    AppointmentRequest,
    AppointmentStatus,
    ClinicCheckIn,
    OfferStatus,
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
# The upcoming list is short in practice; past the limit the page says there are more.
UPCOMING_LIMIT = 50
PAST_PER_PAGE = 20
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


@dataclass(frozen=True)
class AppointmentListing:
    """The appointments page: those to come, soonest first (the EHR's and those booked here,
    together), one page of the EHR's others, and the latest of those booked here."""

    upcoming: list[AppointmentRow]
    has_more_upcoming: bool
    past: RowPage[AppointmentRow]
    booked_past: list[AppointmentRow] = field(default_factory=list)
    requests: list[AppointmentRequest] = field(default_factory=list)
    # The waiting list: entries still waiting, and the open offers of earlier times.
    waiting: list[WaitlistEntry] = field(default_factory=list)
    offers: list[WaitlistOffer] = field(default_factory=list)


def appointment_rows(patient: Patient, *, hides_sensitive: bool) -> ClinicalResourceQuerySet:
    """The patient's appointments this viewer may see, index columns only."""
    scope = RecordScope(patient=patient, hides_sensitive=hides_sensitive)
    return scope.resources().of_type(APPOINTMENT).only(*COLUMNS)


def upcoming_filter(now: datetime.datetime) -> Q:
    return Q(status__in=UPCOMING_STATUSES, effective_at__gte=now)


def list_appointments(
    patient: Patient,
    *,
    hides_sensitive: bool,
    page_number: str | None,
    now: datetime.datetime,
) -> AppointmentListing:
    """Upcoming appointments (booked, pending or checked in, not yet begun), soonest first, and
    a page of all the others (past, cancelled, not yet given a time), latest first.

    Those booked in Carebridge join the upcoming ones in time order; the latest of their
    others are listed apart. Nine queries, whatever the number of appointments: the EHR's
    upcoming ones with their open requests and online check-ins, their others' count and
    page, the two lists of those booked here, the requests, and the waiting list's entries
    and open offers.
    """
    rows = appointment_rows(patient, hides_sensitive=hides_sensitive)
    soonest = rows.filter(upcoming_filter(now)).order_by("effective_at", "pk")
    upcoming = marked_clinic_rows(patient, list(soonest[: UPCOMING_LIMIT + 1]))
    booked = booked_rows(patient)
    booked_soonest = booked.filter(booked_upcoming_filter(now)).order_by("starts_at")
    upcoming += [booked_to_row(row) for row in booked_soonest[: UPCOMING_LIMIT + 1]]
    upcoming.sort(key=lambda row: row.starts_at or now)
    others = rows.exclude(upcoming_filter(now)).newest_first()
    booked_others = booked.exclude(booked_upcoming_filter(now)).order_by("-starts_at")
    return AppointmentListing(
        upcoming=upcoming[:UPCOMING_LIMIT],
        has_more_upcoming=len(upcoming) > UPCOMING_LIMIT,
        past=page_of(others, page_number, PAST_PER_PAGE, clinic_row),
        booked_past=[booked_to_row(row) for row in booked_others[:PAST_PER_PAGE]],
        requests=list_requests(patient),
        waiting=list_waiting(patient),
        offers=list_open_offers(patient, now),
    )


def list_requests(patient: Patient) -> list[AppointmentRequest]:
    """The patient's latest requests for visits the clinic arranges, newest first (one query)."""
    rows = AppointmentRequest.objects.filter(patient=patient).select_related("visit_type")
    return list(rows.order_by("-created_at", "pk")[:PAST_PER_PAGE])


def booked_rows(patient: Patient) -> AppointmentQuerySet:
    """The patient's appointments booked in Carebridge, with what a row shows."""
    related = ("practitioner", "location", "visit_type", "check_in")
    return Appointment.objects.for_patient(patient).select_related(*related)


def booked_upcoming_filter(now: datetime.datetime) -> Q:
    return Q(status__in=BOOKED_UPCOMING_STATUSES, starts_at__gte=now)


def booked_to_row(row: Appointment) -> AppointmentRow:
    return AppointmentRow(
        pk=row.pk,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        kind=row.visit_type.name,
        clinician=row.practitioner.display_name,
        place=row.location.name,
        status=str(row.get_status_display()),
        is_cancelled=row.status == AppointmentStatus.CANCELLED,
        detail_url=reverse("scheduling:appointment-detail", args=[row.pk]),
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


def to_row(row: ClinicalResource) -> AppointmentRow:
    return AppointmentRow(
        pk=row.pk,
        starts_at=row.effective_at,
        ends_at=row.effective_end,
        kind=row.code_display or _("Appointment"),
        clinician=row.performer,
        place=row.detail,
        status=words_for(APPOINTMENT_STATUS, row.status),
        is_cancelled=row.status == "cancelled",
    )


def clinic_row(row: ClinicalResource) -> AppointmentRow:
    """An EHR appointment as the patient's pages show it, linked to its page."""
    url = reverse("scheduling:clinic-appointment", args=[row.api_id])
    return dataclasses.replace(to_row(row), detail_url=url)


def marked_clinic_rows(patient: Patient, resources: list[ClinicalResource]) -> list[AppointmentRow]:
    """EHR appointments as cards, each saying whether a request to cancel or move it is open
    and whether it was checked in online (two queries, whatever their number; none for none)."""
    if not resources:
        return []
    api_ids = [str(row.api_id) for row in resources]
    requests = CareRequest.objects.filter(
        patient=patient,
        kind=RequestKind.VISIT,
        status__in=OPEN_REQUEST_STATUSES,
        details__appointment__in=api_ids,
    )
    requested = set(requests.values_list("details__appointment", flat=True))
    checked_in = ClinicCheckIn.objects.filter(resource__in=[row.pk for row in resources])
    done = set(checked_in.values_list("resource_id", flat=True))
    return [
        dataclasses.replace(
            clinic_row(row),
            has_open_request=str(row.api_id) in requested,
            is_checked_in_online=row.pk in done,
        )
        for row in resources
    ]


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


# The waiting list shows at most this many entries; patients rarely have more than one or two.
WAITLIST_LIMIT = 20


def list_waiting(patient: Patient) -> list[WaitlistEntry]:
    """The patient's waitlist entries still waiting, in the order they joined (one query)."""
    related = ("visit_type", "practitioner", "location", "appointment")
    rows = WaitlistEntry.objects.waiting().for_patient(patient).select_related(*related)
    return list(rows.order_by("created_at", "pk")[:WAITLIST_LIMIT])


def list_open_offers(patient: Patient, now: datetime.datetime) -> list[WaitlistOffer]:
    """The patient's offers of earlier times still open to answer, soonest time first (one
    query)."""
    rows = WaitlistOffer.objects.filter(
        entry__patient=patient, status=OfferStatus.OPEN, expires_at__gt=now
    )
    rows = rows.select_related("entry__visit_type", "practitioner", "location")
    return list(rows.order_by("starts_at", "pk")[:WAITLIST_LIMIT])


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
