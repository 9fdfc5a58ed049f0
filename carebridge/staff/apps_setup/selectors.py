"""Reads for the app register, each bounded to the administrator's own clinic: another clinic's
app and one that does not exist give the same 404. The list is one query."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from carebridge.clinic.models import Clinic
from carebridge.fhir.models import AppRegistration


def list_apps(clinic: Clinic) -> QuerySet[AppRegistration]:
    """The clinic's apps by name, with how many patients have them connected now."""
    connected = Q(application__connections__revoked_at__isnull=True)
    rows = AppRegistration.objects.filter(clinic=clinic).select_related("application")
    return rows.annotate(
        patient_count=Count("application__connections__patient", filter=connected, distinct=True)
    ).order_by("application__name", "pk")


def get_app(clinic: Clinic, app_id: int) -> AppRegistration:
    """One of the clinic's apps, else 404."""
    found = (
        AppRegistration.objects.filter(clinic=clinic, pk=app_id)
        .select_related("application")
        .first()
    )
    if found is None:
        raise Http404
    return found
