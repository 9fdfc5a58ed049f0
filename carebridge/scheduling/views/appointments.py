"""The patient's appointments pages: the list, one appointment, its calendar file, cancelling.

Views are thin: `scheduling.access` finds what the viewer may see (or 404s) and audits the view;
selectors read; services change, audited. Times are shown in the clinic's time zone, which the
pages name.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.records.selectors.wording import clinic_zone
from carebridge.scheduling import ics
from carebridge.scheduling.access import access_appointment, access_appointments
from carebridge.scheduling.forms import CancelForm
from carebridge.scheduling.list_selectors import list_appointments
from carebridge.scheduling.models import Appointment
from carebridge.scheduling.pages import (
    change_refusal,
    detail_context,
    video_join_url,
    video_visit,
)
from carebridge.scheduling.services import cancel_appointment, check_may_cancel


@login_required
@require_safe
def appointments(request: AuthenticatedRequest) -> HttpResponse:
    """What is to come and the latest others; `?page=2` and on (the "Earlier appointments"
    link) shows older others only. A bad page number shows the first page."""
    patient = access_appointments(request)
    listing = list_appointments(
        patient,
        hides_sensitive=request.acting.hides_sensitive,
        page=request.GET.get("page"),
        now=timezone.now(),
    )
    zone = clinic_zone(patient)
    context = {"listing": listing, "clinic": patient.clinic, "time_zone": zone.key}
    with timezone.override(zone):
        return render(request, "scheduling/appointments.html", context)


@login_required
@require_safe
def appointment_detail(request: AuthenticatedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = access_appointment(request, appointment_id)
    refusal = change_refusal(appointment, request.acting.relationship.value, timezone.now())
    context = detail_context(appointment) | {"change_refusal": refusal}
    return render_in_clinic_zone(
        request, appointment, "scheduling/appointment_detail.html", context
    )


@login_required
@require_safe
def appointment_ics(request: AuthenticatedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = access_appointment(request, appointment_id)
    text = ics.appointment_ics(appointment, now=timezone.now())
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return response


@login_required
@require_safe
def appointment_join(request: AuthenticatedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """Send the patient (or whoever acts for them) to the video visit's room, from
    `CAREBRIDGE_VIDEO_JOIN_MINUTES` before the start until its end; the room's address is only
    given out here, and joining is audited as an access to the appointment."""
    appointment = access_appointment(request, appointment_id)
    video = video_visit(appointment, timezone.now())
    if video is None or not video.is_open:
        messages.info(request, _("This video visit cannot be joined now."))
        return redirect("scheduling:appointment-detail", appointment.pk)
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="video_visit",
        object_id=appointment.pk,
        patient=appointment.patient,
        acting_as=request.acting.relationship.value,
        request=request,
    )
    return redirect(video_join_url(appointment))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appointment_cancel(request: AuthenticatedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    appointment = access_appointment(request, appointment_id)
    acting_as = request.acting.relationship.value
    try:
        check_may_cancel(appointment, acting_as, timezone.now())
    except ValidationError as refusal:
        context = detail_context(appointment) | {"refusal": refusal.messages[0]}
        return render_in_clinic_zone(
            request, appointment, "scheduling/appointment_cancel.html", context
        )
    form = CancelForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        return cancel_and_redirect(request, appointment, form.cleaned_data["reason"])
    context = detail_context(appointment) | {"form": form}
    template = "scheduling/appointment_cancel.html"
    return render_in_clinic_zone(request, appointment, template, context)


def cancel_and_redirect(
    request: AuthenticatedRequest, appointment: Appointment, reason: str
) -> HttpResponse:
    """Cancel through the service (which checks again, locked) and go back to the page."""
    try:
        cancel_appointment(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            appointment=appointment,
            reason=reason,
            now=timezone.now(),
            request=request,
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, _("The appointment is cancelled."))
    return redirect("scheduling:appointment-detail", appointment.pk)


def render_in_clinic_zone(
    request: AuthenticatedRequest, appointment: Appointment, template: str, context: dict
) -> HttpResponse:
    with timezone.override(clinic_zone(appointment.patient)):
        return render(request, template, context)
