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

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet
from carebridge.records.scope import RecordScope
from carebridge.records.selectors.sections import RowPage, page_of
from carebridge.records.selectors.wording import words_for

if TYPE_CHECKING:
    from carebridge.patients.models import Patient

APPOINTMENT = "Appointment"
# Statuses of an appointment that is still to come, once its time is not past.
UPCOMING_STATUSES = ("booked", "pending", "arrived")
# The upcoming list is short in practice; past the limit the page says there are more.
UPCOMING_LIMIT = 50
PAST_PER_PAGE = 20
COLUMNS = ("pk", "effective_at", "effective_end", "status", "code_display", "performer", "detail")
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

    pk: int
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    kind: str
    clinician: str
    place: str
    status: str
    is_cancelled: bool


@dataclass(frozen=True)
class AppointmentListing:
    """The appointments page: those to come, soonest first, and one page of the others."""

    upcoming: list[AppointmentRow]
    has_more_upcoming: bool
    past: RowPage[AppointmentRow]


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

    Three queries, whatever the number of appointments: the upcoming ones, and the others'
    count and page.
    """
    rows = appointment_rows(patient, hides_sensitive=hides_sensitive)
    soonest = rows.filter(upcoming_filter(now)).order_by("effective_at", "pk")
    upcoming = [to_row(row) for row in soonest[: UPCOMING_LIMIT + 1]]
    others = rows.exclude(upcoming_filter(now)).newest_first()
    return AppointmentListing(
        upcoming=upcoming[:UPCOMING_LIMIT],
        has_more_upcoming=len(upcoming) > UPCOMING_LIMIT,
        past=page_of(others, page_number, PAST_PER_PAGE, to_row),
    )


def get_next_appointment(
    patient: Patient, *, hides_sensitive: bool, now: datetime.datetime
) -> AppointmentRow | None:
    """The soonest upcoming appointment, or None (one query)."""
    rows = appointment_rows(patient, hides_sensitive=hides_sensitive)
    row = rows.filter(upcoming_filter(now)).order_by("effective_at", "pk").first()
    return to_row(row) if row is not None else None


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
