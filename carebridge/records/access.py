"""The only way record pages reach a patient's clinical data.

Every function takes the request (who is looking, acting for whom) and records the view in the
audit trail. A resource that does not exist and one the viewer may not see both raise 404; an
attempt at someone else's resource, at a part of the record the viewer may not see, or at a
resource hidden from them as sensitive is recorded as denied.
"""

from __future__ import annotations

from typing import NamedTuple

from django.http import Http404

from carebridge.audit.models import AuditOutcome
from carebridge.audit.services import record_view
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.records.scope import RecordScope


class ScopedResource(NamedTuple):
    """One resource the viewer may see, and the scope of the record it belongs to."""

    scope: RecordScope
    row: ClinicalResource


def access_record(
    request: AuthenticatedRequest, *, object_type: str, part: str, object_id: object = ""
) -> RecordScope:
    """The record the viewer acts on, as far as they may see it, with this page view audited.

    Raises 404 for a viewer with no patient record to act on (staff, a visitor without one),
    so the record's pages tell them nothing. Raises 404 too, audited as denied, when the
    viewer may not see this part of the record (`part`, one of `proxies.acting.RECORD_PARTS`).
    `object_type` names the page ("results").
    """
    scope = _scope(request)
    if not scope.may_see(part):
        _record(request, scope.patient, object_type, object_id, AuditOutcome.DENIED)
        raise Http404
    _record(request, scope.patient, object_type, object_id, AuditOutcome.SUCCESS)
    return scope


def access_resource(
    request: AuthenticatedRequest,
    resource_id: int,
    *,
    resource_types: tuple[str, ...],
    object_type: str,
    part: str,
) -> ScopedResource:
    """One released resource of the viewer's patient, of one of these types, audited.

    Raises 404 when it does not exist, is another patient's, is of another type, is held for
    clinician review, belongs to a part of the record the viewer may not see, or is labelled
    sensitive and hidden from this viewer. An attempt at another patient's resource is recorded
    as denied against that patient, so the clinic's audit report shows it; a part or a
    sensitive resource kept from the viewer is recorded as denied against their patient.
    """
    patient = request.acting.patient
    row = (
        ClinicalResource.objects.filter(pk=resource_id, resource_type__in=resource_types)
        .select_related("patient")
        .first()
    )
    if patient is None or row is None or row.patient_id != patient.pk:
        _record(
            request, row.patient if row else None, object_type, resource_id, AuditOutcome.DENIED
        )
        raise Http404
    scope = _scope(request)
    if not scope.may_see(part) or (scope.hides_sensitive and row.is_sensitive):
        _record(request, patient, object_type, row.pk, AuditOutcome.DENIED)
        raise Http404
    if row.release != "released" or row.status == "entered-in-error":
        raise Http404
    _record(request, patient, object_type, row.pk, AuditOutcome.SUCCESS)
    return ScopedResource(scope=scope, row=row)


def _scope(request: AuthenticatedRequest) -> RecordScope:
    scope = RecordScope.of_acting(request.acting)
    if scope is None:
        raise Http404
    return scope


def _record(
    request: AuthenticatedRequest,
    patient: Patient | None,
    object_type: str,
    object_id: object,
    outcome: AuditOutcome,
) -> None:
    record_view(request, patient, object_type=object_type, object_id=object_id, outcome=outcome)
