"""The pages of an appointment the clinic booked in its own system (the EHR's): its page, its
calendar file, and asking the clinic to cancel or move it.

Views are thin: `access_clinic_appointment` finds it (or 404s) and audits the view; the
selectors read; `request_appointment_change` writes, audited. Times are shown in the clinic's
time zone, which the pages name.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.records.selectors.wording import clinic_zone
from carebridge.scheduling import ics
from carebridge.scheduling.access import access_clinic_appointment
from carebridge.scheduling.ehr_selectors import ClinicAppointment, get_clinic_appointment
from carebridge.scheduling.forms import ChangeRequestForm
from carebridge.scheduling.pages import clinic_check_in_status, directions_url
from carebridge.scheduling.services.change_requests import request_appointment_change
from carebridge.scheduling.services.clinic_checkin import clinic_target

PAGE = "scheduling:clinic-appointment"


def page_context(patient: Patient, shown: ClinicAppointment) -> dict[str, Any]:
    now = timezone.now()
    url = reverse("scheduling:clinic-appointment-check-in", args=[shown.api_id])
    target = clinic_target(patient, shown.resource)
    return {
        "check_in": clinic_check_in_status(target, shown.checked_in_at, url, now),
        "shown": shown,
        "row": shown.row,
        "clinic": patient.clinic,
        "is_upcoming": shown.is_upcoming(now),
        "directions_url": directions_url(shown.address) if shown.address else "",
        "time_zone": clinic_zone(patient).key,
    }


def render_in_zone(
    request: AuthenticatedRequest, patient: Patient, template: str, context: dict[str, Any]
) -> HttpResponse:
    with timezone.override(clinic_zone(patient)):
        return render(request, template, context)


@login_required
@require_safe
def clinic_appointment(request: AuthenticatedRequest, api_id: uuid.UUID) -> HttpResponse:
    patient, resource = access_clinic_appointment(request, api_id)
    shown = get_clinic_appointment(patient, resource)
    template = "scheduling/clinic_appointment.html"
    return render_in_zone(request, patient, template, page_context(patient, shown))


@login_required
@require_safe
def clinic_appointment_ics(request: AuthenticatedRequest, api_id: uuid.UUID) -> HttpResponse:
    """The calendar file: when, and where (the place and its address); never the kind of visit
    or the clinician. 404 for an appointment not yet given a time."""
    patient, resource = access_clinic_appointment(request, api_id)
    shown = get_clinic_appointment(patient, resource)
    starts_at, ends_at = shown.row.starts_at, shown.ends_at
    if starts_at is None or ends_at is None:
        raise Http404
    where = ", ".join(part for part in (shown.row.place, shown.address) if part)
    text = ics.event_ics(
        uid=str(shown.api_id),
        starts_at=starts_at,
        ends_at=ends_at,
        clinic_name=patient.clinic.name,
        where=where,
        is_cancelled=shown.row.is_cancelled,
        now=timezone.now(),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def clinic_appointment_change(request: AuthenticatedRequest, api_id: uuid.UUID) -> HttpResponse:
    """Ask the clinic to cancel or move the appointment; back to its page once asked, or when
    it can no longer be changed or a request is already open."""
    patient, resource = access_clinic_appointment(request, api_id)
    shown = get_clinic_appointment(patient, resource)
    if shown.has_open_request or not shown.is_upcoming(timezone.now()):
        return redirect(PAGE, shown.api_id)
    form = ChangeRequestForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return change_and_redirect(request, patient, shown, form.cleaned_data)
    context = page_context(patient, shown) | {"form": form}
    return render_in_zone(request, patient, "scheduling/clinic_appointment_change.html", context)


def change_and_redirect(
    request: AuthenticatedRequest,
    patient: Patient,
    shown: ClinicAppointment,
    cleaned: dict[str, Any],
) -> HttpResponse:
    try:
        request_appointment_change(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            patient=patient,
            resource=shown.resource,
            change=cleaned["change"],
            note=cleaned["note"],
            now=timezone.now(),
            request=request,
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, _("Your request is sent. The clinic will contact you."))
    return redirect(PAGE, shown.api_id)
