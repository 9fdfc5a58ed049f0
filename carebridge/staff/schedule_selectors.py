"""Reads for the console's schedule pages. Each is bounded to the staff member's own clinic: an
object of another clinic and one that does not exist give the same 404.

Every list is built from a constant number of queries, whatever the number of appointments.
"""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from carebridge.clinic.models import Clinic, Location, Practitioner
from carebridge.scheduling.availability import local_datetime
from carebridge.scheduling.models import (
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    ClinicCheckIn,
    RequestStatus,
    TimeOff,
    VisitType,
)
from carebridge.scheduling.selectors import APPOINTMENT as EHR_APPOINTMENT

# Cancelled and declined appointments hold no time, so the day and week leave them out.
HIDDEN_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.DECLINED)
# What a row of the day or week shows, fetched with it.
ROW_RELATED = ("patient", "practitioner", "location", "visit_type", "check_in")
DETAIL_RELATED = (
    "patient",
    "practitioner",
    "location",
    "visit_type",
    "booked_by",
    "cancelled_by",
    "status_changed_by",
    "check_in__completed_by",
)
UPCOMING_BLOCKS_SHOWN = 100


def clinic_zone(clinic: Clinic) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(clinic.time_zone)


@dataclass(frozen=True)
class ScheduleFilter:
    """Whose and where's schedule, over which local days (`days` from `first_day`)."""

    clinic: Clinic
    first_day: datetime.date
    days: int = 1
    practitioner: Practitioner | None = None
    location: Location | None = None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return clinic_zone(self.clinic)

    @property
    def starts_at(self) -> datetime.datetime:
        return local_datetime(self.first_day, datetime.time.min, self.zone)

    @property
    def ends_at(self) -> datetime.datetime:
        last = self.first_day + datetime.timedelta(days=self.days)
        return local_datetime(last, datetime.time.min, self.zone)


@dataclass
class PractitionerDay:
    """One practitioner's appointments and blocked time over the period, soonest first."""

    practitioner: Practitioner
    appointments: list[Appointment] = field(default_factory=list)
    time_off: list[TimeOff] = field(default_factory=list)


@dataclass
class ScheduleDay:
    """One local day of the week view."""

    day: datetime.date
    appointments: list[Appointment] = field(default_factory=list)
    time_off: list[TimeOff] = field(default_factory=list)


def list_practitioners(clinic: Clinic) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(clinic=clinic).order_by("family_name", "given_name", "pk")


def list_locations(clinic: Clinic) -> QuerySet[Location]:
    return Location.objects.filter(clinic=clinic).order_by("name", "pk")


def list_visit_types(clinic: Clinic) -> QuerySet[VisitType]:
    """Every offered visit type of the clinic: staff may book any, request-only ones too."""
    return VisitType.objects.for_clinic(clinic).active().order_by("name", "pk")


def schedule_appointments(chosen: ScheduleFilter) -> list[Appointment]:
    """The period's appointments that hold time or have happened (one query)."""
    rows = Appointment.objects.filter(practitioner__clinic=chosen.clinic)
    rows = rows.filter(starts_at__gte=chosen.starts_at, starts_at__lt=chosen.ends_at)
    if chosen.practitioner is not None:
        rows = rows.filter(practitioner=chosen.practitioner)
    if chosen.location is not None:
        rows = rows.filter(location=chosen.location)
    rows = rows.exclude(status__in=HIDDEN_STATUSES).select_related(*ROW_RELATED)
    return list(rows.order_by("starts_at", "practitioner__family_name", "practitioner_id"))


def schedule_time_off(chosen: ScheduleFilter) -> list[TimeOff]:
    """Time off and blocked time overlapping the period that applies to the chosen
    practitioner and place: the whole clinic's, or theirs (one query)."""
    rows = TimeOff.objects.filter(clinic=chosen.clinic)
    rows = rows.overlapping(chosen.starts_at, chosen.ends_at)
    if chosen.practitioner is not None:
        rows = rows.filter(Q(practitioner__isnull=True) | Q(practitioner=chosen.practitioner))
    if chosen.location is not None:
        rows = rows.filter(Q(location__isnull=True) | Q(location=chosen.location))
    return list(rows.select_related("practitioner", "location").order_by("starts_at", "pk"))


def list_day(chosen: ScheduleFilter) -> tuple[list[TimeOff], list[PractitionerDay]]:
    """The whole clinic's time off, and each practitioner's appointments and time off, the
    practitioners in name order (two queries)."""
    groups: dict[int, PractitionerDay] = {}
    clinic_wide: list[TimeOff] = []
    for entry in schedule_time_off(chosen):
        if entry.practitioner is None:
            clinic_wide.append(entry)
            continue
        group = groups.setdefault(entry.practitioner.pk, PractitionerDay(entry.practitioner))
        group.time_off.append(entry)
    for appointment in schedule_appointments(chosen):
        person = appointment.practitioner
        groups.setdefault(person.pk, PractitionerDay(person)).appointments.append(appointment)

    def order(group: PractitionerDay) -> tuple[str, str, int]:
        person = group.practitioner
        return (person.family_name, person.given_name, person.pk)

    return clinic_wide, sorted(groups.values(), key=order)


def list_clinic_check_ins(chosen: ScheduleFilter) -> list[ClinicCheckIn]:
    """The online check-ins of the period's appointments the clinic booked in its own system
    (the EHR's), soonest first, with the patient and who checked in (one query). Only the
    clinic narrows them: the EHR names its clinician and place in words, not as the console's
    practitioners and places. The appointment's FHIR JSON is never loaded.

    Only Appointment resources have check-ins; saying so lets PostgreSQL read the period's
    appointments from the `resource_day` index, where the clinic alone would leave it
    every resource the clinic holds (or every check-in ever) to read."""
    rows = ClinicCheckIn.objects.filter(
        resource__clinic=chosen.clinic,
        resource__resource_type=EHR_APPOINTMENT,
        resource__effective_at__gte=chosen.starts_at,
        resource__effective_at__lt=chosen.ends_at,
    ).exclude(resource__status="cancelled")
    related = rows.select_related("resource__patient", "completed_by").defer("resource__resource")
    return list(related.order_by("resource__effective_at", "pk"))


def list_week(chosen: ScheduleFilter) -> list[ScheduleDay]:
    """Each local day of the period with its appointments and time off (two queries)."""
    days = [chosen.first_day + datetime.timedelta(days=n) for n in range(chosen.days)]
    by_day: dict[datetime.date, ScheduleDay] = {day: ScheduleDay(day) for day in days}
    for appointment in schedule_appointments(chosen):
        by_day[appointment.starts_at.astimezone(chosen.zone).date()].appointments.append(
            appointment
        )
    spans: dict[datetime.date, list[TimeOff]] = defaultdict(list)
    for entry in schedule_time_off(chosen):
        for day in days:
            day_start = local_datetime(day, datetime.time.min, chosen.zone)
            day_end = local_datetime(
                day + datetime.timedelta(days=1), datetime.time.min, chosen.zone
            )
            if entry.starts_at < day_end and entry.ends_at > day_start:
                spans[day].append(entry)
    for day, entries in spans.items():
        by_day[day].time_off = entries
    return [by_day[day] for day in days]


def get_clinic_appointment(clinic: Clinic, appointment_id: uuid.UUID) -> Appointment:
    """One of the clinic's appointments with everything its page shows, else 404 (one query)."""
    rows = Appointment.objects.filter(practitioner__clinic=clinic, patient__clinic=clinic)
    appointment = rows.select_related(*DETAIL_RELATED).filter(pk=appointment_id).first()
    if appointment is None:
        raise Http404
    return appointment


def list_waiting_requests(clinic: Clinic) -> QuerySet[AppointmentRequest]:
    """Requests waiting for an answer, oldest first, with who and what (one query a page)."""
    rows = AppointmentRequest.objects.filter(patient__clinic=clinic, status=RequestStatus.REQUESTED)
    rows = rows.select_related("patient", "visit_type", "created_by")
    return rows.order_by("created_at", "pk")


def get_clinic_request(clinic: Clinic, request_id: uuid.UUID) -> AppointmentRequest:
    """One of the clinic's appointment requests, else 404 (one query)."""
    rows = AppointmentRequest.objects.filter(patient__clinic=clinic, visit_type__clinic=clinic)
    related = ("patient", "visit_type__clinic", "created_by", "appointment")
    found = rows.select_related(*related).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def list_upcoming_blocks(clinic: Clinic, now: datetime.datetime) -> list[TimeOff]:
    """Blocked time and holidays not yet over, soonest first (one query)."""
    rows = TimeOff.objects.filter(clinic=clinic, ends_at__gt=now)
    rows = rows.select_related("practitioner", "location").order_by("starts_at", "pk")
    return list(rows[:UPCOMING_BLOCKS_SHOWN])


def get_clinic_block(clinic: Clinic, time_off_id: int) -> TimeOff:
    """One of the clinic's blocked times or holidays, else 404."""
    rows = TimeOff.objects.filter(clinic=clinic)
    found = rows.select_related("practitioner", "location").filter(pk=time_off_id).first()
    if found is None:
        raise Http404
    return found
