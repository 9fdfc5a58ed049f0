"""Reads for the set-up pages, always within the administrator's own clinic: another
clinic's place or clinician is a 404, as one that does not exist."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember
from carebridge.scheduling.models import Appointment, WeeklyHours


def list_places(clinic: Clinic) -> QuerySet[Location]:
    return Location.objects.filter(clinic=clinic).order_by("name")


def get_place(clinic: Clinic, place_id: int) -> Location:
    place = Location.objects.filter(clinic=clinic, pk=place_id).select_related("clinic").first()
    if place is None:
        raise Http404
    return place


def list_clinicians(clinic: Clinic) -> QuerySet[Practitioner]:
    return (
        Practitioner.objects.filter(clinic=clinic)
        .select_related("user")
        .prefetch_related("locations")
        .order_by("family_name", "given_name")
    )


def get_clinician(clinic: Clinic, clinician_id: int) -> Practitioner:
    clinician = (
        Practitioner.objects.filter(clinic=clinic, pk=clinician_id)
        .select_related("clinic", "user")
        .prefetch_related("locations")
        .first()
    )
    if clinician is None:
        raise Http404
    return clinician


def get_clinician_staff(clinician: Practitioner) -> StaffMember | None:
    """The clinician's staff account at their own clinic, if they have one."""
    if clinician.user_id is None:
        return None
    return StaffMember.objects.filter(user_id=clinician.user_id, clinic=clinician.clinic).first()


def with_in_use(places: QuerySet[Location]) -> QuerySet[Location]:
    """The places, each marked `is_in_use` when it has appointments or working hours (those
    cannot be removed), in the one query."""
    return places.annotate(
        is_in_use=Exists(Appointment.objects.filter(location=OuterRef("pk")))
        | Exists(WeeklyHours.objects.filter(location=OuterRef("pk")))
    )
