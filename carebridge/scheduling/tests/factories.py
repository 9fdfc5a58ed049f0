"""Factories for the booking tests: plain functions that build valid, saved objects."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from dataclasses import dataclass
from typing import Any

from carebridge.clinic.models import Clinic, Location, Practitioner
from carebridge.patients.models import Patient
from carebridge.records.exports.bundle_links import entry_uuid
from carebridge.records.models import ClinicalResource
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    OnlineBooking,
    TimeOff,
    TimeOffKind,
    VisitType,
    WeeklyHours,
)
from carebridge.testing import factories

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
_counter = itertools.count(1)


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A New York clock time as an aware UTC datetime."""
    wall = datetime.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)
    return wall.astimezone(datetime.UTC)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=datetime.UTC)


def make_visit_type(
    clinic: Clinic,
    *,
    practitioners: list[Practitioner],
    locations: list[Location],
    **fields: Any,
) -> VisitType:
    defaults: dict[str, Any] = {
        "name": f"Check-up {next(_counter)}",
        "duration_minutes": 30,
        "online_booking": OnlineBooking.EVERYONE,
    }
    visit_type = VisitType.objects.create(clinic=clinic, **(defaults | fields))
    visit_type.practitioners.set(practitioners)
    visit_type.locations.set(locations)
    return visit_type


def make_hours(
    practitioner: Practitioner, location: Location, weekday: int, starts: str, ends: str
) -> WeeklyHours:
    return WeeklyHours.objects.create(
        practitioner=practitioner,
        location=location,
        weekday=weekday,
        starts_at=datetime.time.fromisoformat(starts),
        ends_at=datetime.time.fromisoformat(ends),
    )


def make_time_off(
    clinic: Clinic,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    practitioner: Practitioner | None = None,
    kind: str = TimeOffKind.BLOCKED,
    **fields: Any,
) -> TimeOff:
    return TimeOff.objects.create(
        clinic=clinic,
        practitioner=practitioner,
        starts_at=starts_at,
        ends_at=ends_at,
        kind=kind,
        **fields,
    )


def make_appointment(
    patient: Patient,
    visit_type: VisitType,
    practitioner: Practitioner,
    location: Location,
    starts_at: datetime.datetime,
    **fields: Any,
) -> Appointment:
    defaults: dict[str, Any] = {
        "status": AppointmentStatus.BOOKED,
        "booked_as": "staff",
        "ends_at": starts_at + visit_type.duration,
    }
    return Appointment.objects.create(
        patient=patient,
        visit_type=visit_type,
        practitioner=practitioner,
        location=location,
        starts_at=starts_at,
        **(defaults | fields),
    )


def make_encounter(patient: Patient) -> ClinicalResource:
    """A past visit in the patient's record, which makes them an established patient."""
    fhir_id = f"enc-{next(_counter)}"
    resource = {"resourceType": "Encounter", "id": fhir_id, "status": "finished"}
    return ClinicalResource.objects.create(
        clinic=patient.clinic,
        patient=patient,
        resource_type="Encounter",
        fhir_id=fhir_id,
        api_id=entry_uuid(patient.clinic_id, ("Encounter", fhir_id)),
        content_hash=fhir_id,
        resource=resource,
        status="finished",
    )


@dataclass
class Schedule:
    """Dr Okafor at the Main Street office, offering 30-minute check-ups to everyone; no hours
    until a test adds them. Dr Lee works at the same office but does not offer check-ups."""

    clinic: Clinic
    location: Location
    other_location: Location
    practitioner: Practitioner
    other_practitioner: Practitioner
    visit_type: VisitType


def make_schedule(clinic: Clinic | None = None, **visit_type_fields: Any) -> Schedule:
    clinic = clinic or factories.make_clinic(time_zone="America/New_York")
    location = factories.make_location(clinic, name=f"Main Street Office {next(_counter)}")
    other_location = factories.make_location(clinic, name=f"Hill Road Office {next(_counter)}")
    practitioner = factories.make_practitioner(clinic, given_name="Sam", family_name="Okafor")
    other = factories.make_practitioner(clinic, given_name="Kim", family_name="Lee")
    practitioner.locations.set([location])
    other.locations.set([location])
    visit_type = make_visit_type(
        clinic, practitioners=[practitioner], locations=[location], **visit_type_fields
    )
    return Schedule(clinic, location, other_location, practitioner, other, visit_type)
