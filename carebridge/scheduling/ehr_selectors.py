"""Reads for the page of one appointment the clinic booked in its own system (the EHR's FHIR
Appointment, kept in `records.ClinicalResource`): its facts, its place's address for
directions, and the patient's latest request to cancel or move it.

Privacy rule: as `scheduling.selectors`, only index columns are read (never the JSON, which
holds the reason for the visit), through `RecordScope`, so a caregiver never reaches an
appointment labelled sensitive. Callers check access first (`scheduling.access`).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from carebridge.clinic.models import Location
from carebridge.messaging.models import CareRequest, RequestKind
from carebridge.records.models import ClinicalResource
from carebridge.scheduling.ics import address_words
from carebridge.scheduling.models import ClinicCheckIn
from carebridge.scheduling.selectors import (
    OPEN_REQUEST_STATUSES,
    UPCOMING_STATUSES,
    AppointmentRow,
    appointment_rows,
    to_row,
)

if TYPE_CHECKING:
    from carebridge.patients.models import Patient

# A calendar file needs an end; an EHR appointment without one is given this length.
DEFAULT_MINUTES = 30


@dataclass(frozen=True)
class ClinicAppointment:
    """One appointment the clinic booked, ready to show (times in UTC; the page shows them in
    the clinic's time zone), with its place's address when the clinic lists that place."""

    resource: ClinicalResource
    row: AppointmentRow
    address: str
    change_request: CareRequest | None
    # When the patient (or someone for them) checked in online for it; None: not yet.
    checked_in_at: datetime.datetime | None = None

    @property
    def api_id(self) -> uuid.UUID:
        return self.resource.api_id

    @property
    def ends_at(self) -> datetime.datetime | None:
        """The end the EHR sent, else `DEFAULT_MINUTES` after the start."""
        if self.row.ends_at is not None or self.row.starts_at is None:
            return self.row.ends_at
        return self.row.starts_at + datetime.timedelta(minutes=DEFAULT_MINUTES)

    def is_upcoming(self, now: datetime.datetime) -> bool:
        """Still to come: booked, waiting to be confirmed or checked in, and not yet begun."""
        starts = self.row.starts_at
        return self.resource.status in UPCOMING_STATUSES and starts is not None and starts >= now

    @property
    def has_open_request(self) -> bool:
        return self.change_request is not None and self.change_request.status in (
            OPEN_REQUEST_STATUSES
        )


def get_clinic_resource(
    patient: Patient, api_id: uuid.UUID, *, hides_sensitive: bool
) -> ClinicalResource | None:
    """One of the patient's EHR appointments this viewer may see, index columns only, or None
    (one query)."""
    rows = appointment_rows(patient, hides_sensitive=hides_sensitive)
    return rows.filter(api_id=api_id).first()


def get_clinic_appointment(patient: Patient, resource: ClinicalResource) -> ClinicAppointment:
    """The page's facts of one EHR appointment: the place's address (when the clinic lists a
    place of that name, else the clinic's postal address) and the latest request to change
    it, and when it was checked in online (three queries)."""
    return ClinicAppointment(
        resource=resource,
        row=to_row(resource),
        address=place_address(patient, resource.detail),
        change_request=latest_change_request(patient, resource.api_id),
        checked_in_at=get_clinic_check_in_time(resource),
    )


def get_clinic_check_in_time(resource: ClinicalResource) -> datetime.datetime | None:
    """When this EHR appointment was checked in online, or None (one query)."""
    done = ClinicCheckIn.objects.filter(resource=resource).values_list("completed_at", flat=True)
    return done.first()


def place_address(patient: Patient, place_name: str) -> str:
    """The street address of the clinic's place the EHR names, or the clinic's own address."""
    place = None
    if place_name:
        places = Location.objects.filter(clinic_id=patient.clinic_id, name__iexact=place_name)
        place = places.first()
    if place is not None:
        return address_words(place)
    return " ".join(patient.clinic.address.split())


def change_requests(patient: Patient, api_id: uuid.UUID) -> QuerySet[CareRequest]:
    """The patient's requests to cancel or move this EHR appointment, newest first."""
    return CareRequest.objects.filter(
        patient=patient, kind=RequestKind.VISIT, details__appointment=str(api_id)
    ).order_by("-created_at", "-pk")


def latest_change_request(patient: Patient, api_id: uuid.UUID) -> CareRequest | None:
    """The newest request to cancel or move this appointment, or None (one query)."""
    return change_requests(patient, api_id).first()
