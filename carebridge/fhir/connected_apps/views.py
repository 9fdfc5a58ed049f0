"""The patient's connected apps: the list, and disconnecting one (with a confirmation page).

Views are thin: `access` finds the patient (or the connection) the viewer may manage, or 404;
`selectors` read the list; `services.disconnect_app` writes and audits. Each page view is
audited for the patient. Dates are shown in the clinic's time zone.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.audit.selectors import clinic_time_zone
from carebridge.audit.services import record_view
from carebridge.core.http import AuthenticatedRequest
from carebridge.fhir.connected_apps import selectors
from carebridge.fhir.connected_apps.access import access_apps_patient, access_connection
from carebridge.fhir.services.connections import disconnect_app


@login_required
@require_safe
def app_list(request: AuthenticatedRequest) -> HttpResponse:
    """The apps connected to the record of the patient the viewer acts for, and those
    disconnected. Audit: one VIEW "connected_apps" event for the patient."""
    patient = access_apps_patient(request)
    record_view(request, patient, object_type="connected_apps")
    context = {"patient": patient, "apps": selectors.list_patients_apps(patient)}
    with timezone.override(clinic_time_zone(patient.clinic)):
        return render(request, "fhir/connected_apps/list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def app_disconnect(request: AuthenticatedRequest, connection_id: uuid.UUID) -> HttpResponse:
    """Ask, then disconnect one app: its tokens stop working at once. Audit: the confirmation
    page is a VIEW "app_connection" event; the disconnection is recorded by the service."""
    connection = access_connection(request, connection_id)
    if connection.revoked_at is not None:
        return redirect("connected_apps:list")
    if request.method == "POST":
        disconnect_app(actor=request.user, connection=connection, request=request)
        name = connection.application.name
        messages.success(request, _("“%(name)s” is disconnected.") % {"name": name})
        return redirect("connected_apps:list")
    record_view(request, connection.patient, object_type="app_connection", object_id=connection.pk)
    return render(request, "fhir/connected_apps/disconnect.html", {"connection": connection})
