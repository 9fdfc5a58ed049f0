"""Who may see a patient's appointments: the only way the scheduling pages reach a patient.

A patient sees their own; a caregiver or parent sees those of the patient they act for when
their grant gives the "appointments" scope today (`request.acting.may`). Anyone else (staff,
a signed-in visitor, a proxy whose access has ended) acts on no patient's account here and
gets a 404, as does a proxy without the scope, whose attempt is audited as denied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from carebridge.audit.models import AuditOutcome
from carebridge.audit.services import record_view
from carebridge.proxies.models import ProxyScope
from carebridge.scheduling.ehr_selectors import get_clinic_resource
from carebridge.scheduling.selectors import get_booked_appointment

if TYPE_CHECKING:
    import uuid

    from carebridge.core.http import AuthenticatedRequest, PortalRequest
    from carebridge.patients.models import Patient
    from carebridge.records.models import ClinicalResource
    from carebridge.scheduling.models import Appointment

OBJECT_TYPE = "appointments"
DENIED = AuditOutcome.DENIED


def access_appointments(request: AuthenticatedRequest) -> Patient:
    """The patient whose appointments the viewer may see, with this view audited.

    Raises 404 when the viewer acts on no patient's account (staff, a visitor, a proxy whose
    grant has ended). Raises 404 too, audited as denied against that patient, when a proxy's
    grant does not give the appointments scope today.
    """
    patient = request.acting.patient
    if patient is None:
        raise Http404
    if not request.acting.may(ProxyScope.APPOINTMENTS):
        record_appointments_view(request, patient, outcome=AuditOutcome.DENIED)
        raise Http404
    record_appointments_view(request, patient)
    return patient


def access_appointment(request: AuthenticatedRequest, appointment_id: uuid.UUID) -> Appointment:
    """One appointment booked in Carebridge, for its patient or a caregiver or parent with the
    appointments scope today, with this view audited (the appointment's id).

    Raises 404 as `access_appointments` does, and also when the appointment is not one of the
    patient's (a missing and a forbidden appointment look the same).
    """
    patient = request.acting.patient
    if patient is None:
        raise Http404
    if not request.acting.may(ProxyScope.APPOINTMENTS):
        record_appointments_view(request, patient, object_id=appointment_id, outcome=DENIED)
        raise Http404
    appointment = get_booked_appointment(patient, appointment_id)
    if appointment is None:
        raise Http404
    record_appointments_view(request, patient, object_id=appointment.pk)
    return appointment


def access_clinic_appointment(
    request: AuthenticatedRequest, api_id: uuid.UUID
) -> tuple[Patient, ClinicalResource]:
    """One appointment the clinic booked in its own system (an EHR Appointment), for its
    patient or a caregiver or parent with the appointments scope today, with this view audited
    (the resource's id). A caregiver or parent never reaches one labelled sensitive.

    Raises 404 as `access_appointment` does (missing and forbidden look the same).
    """
    patient = request.acting.patient
    if patient is None:
        raise Http404
    if not request.acting.may(ProxyScope.APPOINTMENTS):
        record_appointments_view(request, patient, object_id=api_id, outcome=DENIED)
        raise Http404
    hides = request.acting.hides_sensitive
    resource = get_clinic_resource(patient, api_id, hides_sensitive=hides)
    if resource is None:
        raise Http404
    record_appointments_view(request, patient, object_id=resource.api_id)
    return patient, resource


def appointments_patient(request: PortalRequest) -> Patient | None:
    """The patient whose appointments the viewer may see, or None; not audited (the caller
    audits what it then shows, see `record_appointments_view`)."""
    acting = request.acting
    if acting.patient is None or not acting.may(ProxyScope.APPOINTMENTS):
        return None
    return acting.patient


def record_appointments_view(
    request: PortalRequest,
    patient: Patient,
    *,
    object_id: object = "",
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
) -> None:
    """Audit a view of the patient's appointments, as whom the viewer acted (self or proxy)."""
    record_view(request, patient, object_type=OBJECT_TYPE, object_id=object_id, outcome=outcome)
