"""Reads for the clinic console. Each is bounded to the staff member's own clinic."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo

from django.http import Http404
from django.utils import timezone

from carebridge.accounts.models import ActivationCode
from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient, PatientQuerySet

# The columns the patient list shows; nothing else is loaded.
_LIST_COLUMNS = ("mrn", "given_name", "family_name", "preferred_name", "birth_date", "user")


def list_clinic_patients(*, clinic: Clinic, text: str = "") -> PatientQuerySet:
    """The clinic's patients matching `text` (MRN, family or given name), in a stable order.

    One query per page whatever the clinic's size: the portal-account column is read from
    `user_id`, so no account is joined or fetched.
    """
    return (
        Patient.objects.filter(clinic=clinic)
        .search(text)
        .only(*_LIST_COLUMNS)
        .order_by("family_name", "given_name", "birth_date", "mrn")
    )


def get_invitable_patient(*, clinic: Clinic, patient_id: uuid.UUID) -> Patient:
    """A patient of `clinic` with no portal account yet, else 404.

    Privacy rule: a patient of another clinic, a missing patient and an enrolled patient all
    give the same 404, so the answer reveals nothing about other clinics' patients.
    """
    patient = (
        Patient.objects.select_related("clinic")
        .filter(pk=patient_id, clinic=clinic, user__isnull=True)
        .first()
    )
    if patient is None:
        raise Http404
    return patient


def get_activation_expiry(*, patient: Patient) -> datetime.date | None:
    """The day the patient's current activation code expires, in the clinic's time zone."""
    expires_at = (
        ActivationCode.objects.usable()
        .filter(patient=patient)
        .order_by("-created_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    if expires_at is None:
        return None
    return timezone.localtime(expires_at, zoneinfo.ZoneInfo(patient.clinic.time_zone)).date()
