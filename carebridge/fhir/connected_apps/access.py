"""Who may see and disconnect the apps connected to a patient's record.

The patient always may. A caregiver or parent acting for them may when their grant gives them
the account-settings scope, or the health-record scope with the whole record (the people who
could connect an app themselves): a teenager's parent, who sees only part of the record, does
not see the apps the teenager connected.
"""

from __future__ import annotations

import uuid

from django.http import Http404

from carebridge.audit.models import AuditOutcome
from carebridge.audit.services import record_view
from carebridge.core.http import AuthenticatedRequest
from carebridge.fhir.models import Connection
from carebridge.patients.models import Patient
from carebridge.proxies.models import ProxyScope


def access_apps_patient(request: AuthenticatedRequest) -> Patient:
    """The patient whose connected apps the viewer manages; 404 for anyone with none (staff, a
    visitor, a caregiver without the scopes above). Audit: the caller records the view."""
    acting = request.acting
    patient = acting.patient
    if patient is None or (not acting.is_self and not acting.is_proxy):
        raise Http404
    if acting.is_proxy and not (
        acting.may(ProxyScope.ACCOUNT)
        or (acting.may(ProxyScope.RECORD) and acting.record_parts is None)
    ):
        raise Http404
    return patient


def access_connection(request: AuthenticatedRequest, connection_id: uuid.UUID) -> Connection:
    """One app connection of the patient the viewer manages, else 404: a connection of another
    patient and one that does not exist look the same. An attempt at another patient's
    connection is recorded as denied against that patient, so the clinic's audit report shows
    it. Audit of a permitted view: the caller records it."""
    patient = access_apps_patient(request)
    found = (
        Connection.objects.select_related("application__registration", "user", "patient")
        .filter(pk=connection_id)
        .first()
    )
    if found is None:
        raise Http404
    if found.patient_id != patient.pk:
        record_view(
            request,
            found.patient,
            object_type="app_connection",
            object_id=found.pk,
            outcome=AuditOutcome.DENIED,
        )
        raise Http404
    return found
