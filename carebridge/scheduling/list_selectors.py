"""Reads for the patient's appointments page: what is to come, and one page of the others.

A person reads the appointments still to come (few: all of them are shown, up to a limit) and
the latest of the others; older ones are a page further back each, behind the "Earlier
appointments" link. Every list is cut in the database, and the words every row shares (each
status, the address of each kind of page) are worked out once for the page (`RowWords`).

Privacy rule: as `scheduling.selectors` (index columns only, through `RecordScope`); callers
check access and audit the view first (`scheduling.access`).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from carebridge.lib.paging import page_number, slice_page
from carebridge.messaging.models import CareRequest, RequestKind
from carebridge.scheduling.models import (
    AppointmentRequest,
    ClinicCheckIn,
    OfferStatus,
    WaitlistEntry,
    WaitlistOffer,
)
from carebridge.scheduling.selectors import (
    OPEN_REQUEST_STATUSES,
    AppointmentRow,
    RowWords,
    appointment_rows,
    booked_rows,
    booked_to_row,
    booked_upcoming_filter,
    clinic_row,
    upcoming_filter,
)

if TYPE_CHECKING:
    from carebridge.patients.models import Patient
    from carebridge.records.models import ClinicalResource

# The upcoming list is short in practice; past the limit the page says there are more.
UPCOMING_LIMIT = 50
# The latest of the others, from the EHR and booked here, each; older ones a page back.
PAST_PER_PAGE = 10
# The latest requests for visits the clinic arranges.
REQUESTS_SHOWN = 20
# The waiting list shows at most this many entries; patients rarely have more than one or two.
WAITLIST_LIMIT = 20


@dataclass(frozen=True)
class AppointmentListing:
    """The appointments page. The first page: those to come, soonest first (the EHR's and
    those booked here, together), the latest others of the EHR's and of those booked here,
    the requests and the waiting list. An earlier page (`page` 2 and on): only the others,
    each list a page further back."""

    page: int
    has_earlier: bool
    past: list[AppointmentRow]
    booked_past: list[AppointmentRow]
    upcoming: list[AppointmentRow] = field(default_factory=list)
    has_more_upcoming: bool = False
    requests: list[AppointmentRequest] = field(default_factory=list)
    # The waiting list: entries still waiting, and the open offers of earlier times.
    waiting: list[WaitlistEntry] = field(default_factory=list)
    offers: list[WaitlistOffer] = field(default_factory=list)

    @property
    def is_first_page(self) -> bool:
        return self.page == 1

    @property
    def earlier_page(self) -> int | None:
        return self.page + 1 if self.has_earlier else None

    @property
    def later_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None


def list_appointments(
    patient: Patient,
    *,
    hides_sensitive: bool,
    page: str | None,
    now: datetime.datetime,
) -> AppointmentListing:
    """The appointments page's lists; `page` is the query parameter as sent.

    The first page runs nine queries, whatever the number of appointments: the two pages of
    others, the EHR's upcoming ones with their open requests and online check-ins, those
    booked here, the requests, and the waiting list's entries and open offers. An earlier
    page runs two (its pages of others). A bad page number, or one past the last page, is the
    first page.
    """
    words = RowWords()
    number = page_number(page)
    if number > 1:
        earlier = _past_page(patient, hides_sensitive, number, now, words)
        if earlier.past or earlier.booked_past:
            return earlier
    first = _past_page(patient, hides_sensitive, 1, now, words)
    upcoming = _upcoming(patient, hides_sensitive, now, words)
    return dataclasses.replace(
        first,
        upcoming=upcoming[:UPCOMING_LIMIT],
        has_more_upcoming=len(upcoming) > UPCOMING_LIMIT,
        requests=list_requests(patient),
        waiting=list_waiting(patient),
        offers=list_open_offers(patient, now),
    )


def _past_page(
    patient: Patient, hides_sensitive: bool, number: int, now: datetime.datetime, words: RowWords
) -> AppointmentListing:
    """Page `number` of the others, latest first: the EHR's (past, cancelled, not yet given a
    time) and those booked here, each `PAST_PER_PAGE` a page (two queries)."""
    rows = appointment_rows(patient, hides_sensitive=hides_sensitive)
    others = rows.exclude(upcoming_filter(now)).newest_first()
    booked = booked_rows(patient).exclude(booked_upcoming_filter(now))
    booked = booked.order_by("-starts_at", "-pk")
    from_ehr, more_from_ehr = slice_page(others, number, PAST_PER_PAGE)
    booked_here, more_booked = slice_page(booked, number, PAST_PER_PAGE)
    return AppointmentListing(
        page=number,
        has_earlier=more_from_ehr or more_booked,
        past=[clinic_row(row, words) for row in from_ehr],
        booked_past=[booked_to_row(row, words) for row in booked_here],
    )


def _upcoming(
    patient: Patient, hides_sensitive: bool, now: datetime.datetime, words: RowWords
) -> list[AppointmentRow]:
    """Up to `UPCOMING_LIMIT` + 1 of each source's appointments to come, soonest first."""
    rows = appointment_rows(patient, hides_sensitive=hides_sensitive)
    soonest = rows.filter(upcoming_filter(now)).order_by("effective_at", "pk")
    upcoming = marked_clinic_rows(patient, list(soonest[: UPCOMING_LIMIT + 1]), words)
    booked = booked_rows(patient).filter(booked_upcoming_filter(now)).order_by("starts_at", "pk")
    upcoming += [booked_to_row(row, words) for row in booked[: UPCOMING_LIMIT + 1]]
    upcoming.sort(key=lambda row: row.starts_at or now)
    return upcoming


def marked_clinic_rows(
    patient: Patient, resources: list[ClinicalResource], words: RowWords
) -> list[AppointmentRow]:
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
            clinic_row(row, words),
            has_open_request=str(row.api_id) in requested,
            is_checked_in_online=row.pk in done,
        )
        for row in resources
    ]


def list_requests(patient: Patient) -> list[AppointmentRequest]:
    """The patient's latest requests for visits the clinic arranges, newest first (one query)."""
    rows = AppointmentRequest.objects.filter(patient=patient).select_related("visit_type")
    return list(rows.order_by("-created_at", "pk")[:REQUESTS_SHOWN])


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
