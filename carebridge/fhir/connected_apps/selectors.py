"""Reads for the "Connected apps" page: two queries whatever the number of apps."""

from __future__ import annotations

from dataclasses import dataclass

from carebridge.fhir.models import Connection
from carebridge.patients.models import Patient


@dataclass(frozen=True)
class PatientsApps:
    """The patient's apps still connected (newest first) and those disconnected (latest
    disconnection first)."""

    connected: list[Connection]
    disconnected: list[Connection]


def list_patients_apps(patient: Patient) -> PatientsApps:
    """Every app connection of the patient, with its app, registration and the person who
    connected it (one query)."""
    rows = list(
        Connection.objects.filter(patient=patient)
        .select_related("application__registration", "user")
        .order_by("-created_at", "pk")
    )
    connected = [row for row in rows if row.revoked_at is None]
    disconnected = sorted(
        (row for row in rows if row.revoked_at is not None),
        key=lambda row: (row.revoked_at, row.created_at),
        reverse=True,
    )
    return PatientsApps(connected=connected, disconnected=disconnected)
