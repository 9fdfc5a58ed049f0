"""Who may see and change a patient's details (My details): the only way its pages reach a
patient.

The patient always; a caregiver or parent only when their grant gives the "account" scope
(account settings) today, which is the scope that already lets them correct contact details at
check-in. Everyone else acting for nobody (staff, a visitor, a proxy whose access ended) and a
proxy without the scope get a 404; the proxy's attempt is audited as denied. Another patient's
emergency contact looks the same as one that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from carebridge.audit.models import AuditOutcome
from carebridge.audit.services import record_view
from carebridge.patients.models import EmergencyContact, Patient
from carebridge.patients.services.details import ACCOUNT_SCOPE

if TYPE_CHECKING:
    from carebridge.core.http import AuthenticatedRequest

DETAILS_OBJECT = "my_details"


def details_patient(request: AuthenticatedRequest) -> Patient:
    """The patient whose details the viewer may use, or 404 (audited as denied for a proxy
    acting for a patient without the account scope). Not itself audited as a view."""
    acting = request.acting
    patient = acting.patient
    if patient is None:
        raise Http404
    if not acting.may(ACCOUNT_SCOPE):
        record_view(request, patient, object_type=DETAILS_OBJECT, outcome=AuditOutcome.DENIED)
        raise Http404
    return patient


def access_details(request: AuthenticatedRequest) -> Patient:
    """As `details_patient`, with the page's view audited."""
    patient = details_patient(request)
    record_view(request, patient, object_type=DETAILS_OBJECT)
    return patient


def access_emergency_contact(request: AuthenticatedRequest, contact_id: int) -> EmergencyContact:
    """One of the patient's emergency contacts, or 404 (missing, or another patient's)."""
    patient = details_patient(request)
    contact = EmergencyContact.objects.filter(pk=contact_id, patient=patient).first()
    if contact is None:
        raise Http404
    contact.patient = patient
    record_view(request, patient, object_type="emergency_contact", object_id=contact.pk)
    return contact
