"""The patient's "Account activity" page: who has seen or changed their record, and when."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.audit import selectors
from carebridge.audit.forms import DateRangeForm
from carebridge.audit.labels import describe_for_patient
from carebridge.audit.models import AuditAction
from carebridge.audit.naming import object_names
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient

EVENTS_PER_PAGE = 50


def _activity_list(request: AuthenticatedRequest, patient: Patient) -> dict[str, Any]:
    """The filter form and, when it is valid, one page of the patient's events as rows."""
    form = DateRangeForm(request.GET)
    if not form.is_valid():
        return {"form": form}
    events = selectors.list_patient_events(
        patient, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    names = object_names(page.object_list)
    rows = [describe_for_patient(event, request.user, names) for event in page.object_list]
    return {"form": form, "page": page, "rows": rows}


@login_required
def account_activity(request: AuthenticatedRequest) -> HttpResponse:
    """List the events about the viewer's own record, newest first.

    Audit rule: viewing this page is itself recorded, before the list is read, so the newest
    row is this very visit. A user with no patient record sees an empty page and nothing is
    recorded, because no patient's data is shown. A caregiver or parent acting for the patient
    sees the patient's activity only with the account-settings scope (404 otherwise).
    """
    patient = request.acting.patient
    if request.acting.is_proxy and not request.acting.may("account"):
        raise Http404
    if patient is None:
        return render(request, "audit/activity.html", {"has_record": False})
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="account_activity",
        patient=patient,
        acting_as=request.acting.relationship.value,
        request=request,
    )
    tz = selectors.clinic_time_zone(patient.clinic)
    context = {"has_record": True, "time_zone": tz.key, **_activity_list(request, patient)}
    with timezone.override(tz):
        return render(request, "audit/activity.html", context)
