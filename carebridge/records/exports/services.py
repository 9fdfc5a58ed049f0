"""Writes for downloads: each file or printed summary is recorded in the audit trail."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.records.exports.selection import Selection

if TYPE_CHECKING:
    from carebridge.core.http import AuthenticatedRequest
    from carebridge.patients.models import Patient

# File name endings by kind of download. Names hold a date and nothing else about the patient.
EXTENSIONS = {"fhir": "json", "ccda": "xml"}


def record_download(
    *, request: AuthenticatedRequest, patient: Patient, kind: str, selection: Selection
) -> None:
    """Record that the viewer took a copy of the patient's record out of the portal.

    Audit rule: one "export" event of type "record_download" per file or printed summary, its
    id naming the format and the selection (sections and dates), never any of the content.
    """
    record_event(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="record_download",
        object_id=f"{kind} {selection.describe()}",
        patient=patient,
        acting_as=request.acting.relationship.value,
        request=request,
    )


def download_filename(kind: str, patient: Patient, now: datetime.datetime) -> str:
    """A neutral name: "health-record-2026-11-22.json", the date in the clinic's time zone."""
    day = now.astimezone(ZoneInfo(patient.clinic.time_zone)).date()
    return f"health-record-{day.isoformat()}.{EXTENSIONS[kind]}"
