"""Reads for the booking set-up pages, each bounded to the administrator's own clinic: an object
of another clinic and one that does not exist give the same 404. Lists are built from a
constant number of queries."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from carebridge.clinic.models import Clinic, Location, Practitioner
from carebridge.scheduling.models import VisitType, WeeklyHours


def list_visit_types(clinic: Clinic) -> list[VisitType]:
    """The clinic's visit types by name, offered or not, with their clinicians and places."""
    rows = VisitType.objects.for_clinic(clinic).prefetch_related("practitioners", "locations")
    return list(rows.order_by("name", "pk"))


def get_visit_type(clinic: Clinic, visit_type_id: int) -> VisitType:
    """One of the clinic's visit types, else 404."""
    found = (
        VisitType.objects.for_clinic(clinic)
        .select_related("clinic")
        .prefetch_related("practitioners", "locations")
        .filter(pk=visit_type_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def list_clinicians(clinic: Clinic) -> QuerySet[Practitioner]:
    """The clinic's clinicians with their places and how many blocks of weekly hours they have."""
    rows = Practitioner.objects.filter(clinic=clinic).prefetch_related("locations")
    return rows.annotate(hours_count=Count("weekly_hours")).order_by(
        "family_name", "given_name", "pk"
    )


def list_locations(clinic: Clinic) -> QuerySet[Location]:
    return Location.objects.filter(clinic=clinic).order_by("name", "pk")


def get_clinician(clinic: Clinic, practitioner_id: int) -> Practitioner:
    """One of the clinic's clinicians, else 404."""
    rows = Practitioner.objects.filter(clinic=clinic).select_related("clinic")
    found = rows.filter(pk=practitioner_id).first()
    if found is None:
        raise Http404
    return found


def list_weekly_hours(practitioner: Practitioner) -> list[WeeklyHours]:
    """A clinician's weekly hours, Monday first, then by start (one query)."""
    rows = WeeklyHours.objects.filter(practitioner=practitioner).select_related("location")
    return list(rows.order_by("weekday", "starts_at", "pk"))


def get_weekly_hours(practitioner: Practitioner, hours_id: int) -> WeeklyHours:
    """One block of the clinician's weekly hours, else 404."""
    rows = WeeklyHours.objects.filter(practitioner=practitioner)
    found = rows.select_related("location", "practitioner").filter(pk=hours_id).first()
    if found is None:
        raise Http404
    return found
