"""Reads for My details and the front desk's review of address changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from carebridge.clinic.models import Clinic
from carebridge.patients.models import (
    DetailsChange,
    DetailsChangeStatus,
    EmergencyContact,
    Patient,
    PreferredPharmacy,
)


@dataclass(frozen=True)
class DetailsPage:
    """What My details shows: the contacts, the pharmacy, an address change waiting for the
    clinic, and the latest declined one when nothing newer was sent (with the clinic's note)."""

    contacts: list[EmergencyContact]
    pharmacy: PreferredPharmacy | None
    pending: DetailsChange | None
    declined: DetailsChange | None


def get_preferred_pharmacy(patient: Patient) -> PreferredPharmacy | None:
    return PreferredPharmacy.objects.filter(patient=patient).first()


def get_details_page(patient: Patient) -> DetailsPage:
    """Three queries whatever the patient's history: contacts, pharmacy, the latest change."""
    latest = DetailsChange.objects.filter(patient=patient).exclude(
        status=DetailsChangeStatus.REPLACED
    )
    newest = latest.order_by("-created_at", "-pk").first()
    return DetailsPage(
        contacts=list(EmergencyContact.objects.filter(patient=patient)),
        pharmacy=get_preferred_pharmacy(patient),
        pending=newest if newest and newest.status == DetailsChangeStatus.PENDING else None,
        declined=newest if newest and newest.status == DetailsChangeStatus.DECLINED else None,
    )


def list_waiting_changes(clinic: Clinic) -> QuerySet[DetailsChange]:
    """The clinic's address changes waiting for the front desk, oldest first."""
    return (
        DetailsChange.objects.filter(clinic=clinic, status=DetailsChangeStatus.PENDING)
        .select_related("patient", "submitted_by")
        .order_by("created_at", "pk")
    )


def get_clinic_change(clinic: Clinic, change_id: uuid.UUID) -> DetailsChange:
    """One address change of a patient of the clinic; 404 when missing or another clinic's."""
    change = (
        DetailsChange.objects.filter(pk=change_id, clinic=clinic)
        .select_related("patient", "submitted_by", "reviewed_by")
        .first()
    )
    if change is None:
        raise Http404
    return change
