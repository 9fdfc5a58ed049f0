"""The only way record pages reach a patient's clinical data.

Every function takes the request (who is looking, acting for whom) and records the view in the
audit trail. A resource that does not exist and one the viewer may not see both raise 404; an
attempt at someone else's resource is recorded as denied.
"""

from __future__ import annotations

from django.http import Http404

from carebridge.audit.models import AuditAction, AuditOutcome
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource


def access_record(
    request: AuthenticatedRequest, *, object_type: str, object_id: object = ""
) -> Patient:
    """The patient whose record the viewer acts on, with this page view audited.

    Raises 404 for a viewer with no patient record to act on (staff, a visitor without one),
    so the record's pages tell them nothing. `object_type` names the page ("results").
    """
    patient = request.acting.patient
    if patient is None:
        raise Http404
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        patient=patient,
        acting_as=request.acting.relationship.value,
        request=request,
    )
    return patient


def access_resource(
    request: AuthenticatedRequest,
    resource_id: int,
    *,
    resource_types: tuple[str, ...],
    object_type: str,
) -> ClinicalResource:
    """One released resource of the viewer's patient, of one of these types, audited.

    Raises 404 when it does not exist, is another patient's, is of another type, or is held
    for clinician review. An attempt at another patient's resource is recorded as denied,
    against that patient, so the clinic's audit report shows it.
    """
    patient = request.acting.patient
    row = (
        ClinicalResource.objects.filter(pk=resource_id, resource_type__in=resource_types)
        .select_related("patient")
        .first()
    )
    if patient is None or row is None or row.patient_id != patient.pk:
        _record_denied(request, row, object_type, resource_id)
        raise Http404
    if row.release != "released" or row.status == "entered-in-error":
        raise Http404
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type=object_type,
        object_id=row.pk,
        patient=patient,
        acting_as=request.acting.relationship.value,
        request=request,
    )
    return row


def _record_denied(
    request: AuthenticatedRequest, row: ClinicalResource | None, object_type: str, object_id: int
) -> None:
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        patient=row.patient if row is not None else None,
        acting_as=request.acting.relationship.value,
        outcome=AuditOutcome.DENIED,
        request=request,
    )
