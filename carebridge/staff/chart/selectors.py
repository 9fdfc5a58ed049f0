"""Reads for the patient's page in the console: the patient, and their appointments.

Privacy rule: everything is read within the viewer's own clinic; a patient of another clinic
and an id that does not exist are the same 404. Appointments are read from their index columns
and the booking tables only, never a clinical resource's JSON.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient
from carebridge.scheduling import selectors as scheduling
from carebridge.scheduling.models import Appointment

# The patient's page lists this many upcoming and this many recent appointments at most.
APPOINTMENTS_SHOWN = 10


@dataclass(frozen=True)
class PatientAppointments:
    """Appointments to come (soonest first) and recent ones (latest first), each list from
    the EHR's and those booked in Carebridge together."""

    upcoming: list[scheduling.AppointmentRow]
    recent: list[scheduling.AppointmentRow]


def find_patient(patient_id: uuid.UUID) -> Patient | None:
    """The patient with this id in any clinic, with their clinic, or None (one query).

    Only for deciding who a refused request was about (the audit trail); pages use
    `get_clinic_patient`."""
    return Patient.objects.select_related("clinic").filter(pk=patient_id).first()


def get_clinic_patient(*, clinic: Clinic, patient_id: uuid.UUID) -> Patient:
    """The clinic's patient with this id, else 404 (another clinic's patient too)."""
    patient = Patient.objects.select_related("clinic").filter(pk=patient_id, clinic=clinic).first()
    if patient is None:
        raise Http404
    return patient


def list_patient_appointments(patient: Patient, *, now: datetime.datetime) -> PatientAppointments:
    """The patient's upcoming and recent appointments (four queries). The console sees every
    appointment the patient sees, sensitive ones included, as the clinic's own schedule does."""
    from_ehr = scheduling.appointment_rows(patient, hides_sensitive=False)
    booked = scheduling.booked_rows(patient)
    soon = from_ehr.filter(scheduling.upcoming_filter(now)).order_by("effective_at", "pk")
    booked_soon = booked.filter(scheduling.booked_upcoming_filter(now)).order_by("starts_at")
    past = from_ehr.exclude(scheduling.upcoming_filter(now)).newest_first()
    booked_past = booked.exclude(scheduling.booked_upcoming_filter(now)).order_by("-starts_at")
    upcoming = [scheduling.to_row(row) for row in soon[:APPOINTMENTS_SHOWN]]
    upcoming += [_booked_row(row) for row in booked_soon[:APPOINTMENTS_SHOWN]]
    recent = [scheduling.to_row(row) for row in past[:APPOINTMENTS_SHOWN]]
    recent += [_booked_row(row) for row in booked_past[:APPOINTMENTS_SHOWN]]
    upcoming.sort(key=lambda row: row.starts_at or now)
    recent.sort(key=lambda row: row.starts_at or now, reverse=True)
    return PatientAppointments(upcoming[:APPOINTMENTS_SHOWN], recent[:APPOINTMENTS_SHOWN])


def _booked_row(row: Appointment) -> scheduling.AppointmentRow:
    # The console's own page for an appointment booked here, not the patient's.
    url = reverse("staff:schedule-appointment", args=[row.pk])
    return dataclasses.replace(scheduling.booked_to_row(row), detail_url=url)
