"""Moving an appointment to another time of the same kind of visit: the times page (reused from
booking), a confirmation, then `rescheduling.reschedule_appointment`.

One address does all three: without a chosen time it shows the free times; with one (GET) it
asks to confirm; POST moves the appointment. Outside the cancellation window the page says why
and gives the clinic's phone number instead.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.core.http import AuthenticatedRequest
from carebridge.records.selectors.wording import clinic_zone
from carebridge.scheduling.access import access_appointment
from carebridge.scheduling.forms import TimeChoiceForm
from carebridge.scheduling.models import Appointment
from carebridge.scheduling.pages import detail_context
from carebridge.scheduling.services import SlotTakenError, check_may_cancel, reschedule_appointment
from carebridge.scheduling.views.booking import Choice, chosen, render_confirm, times_context

TEMPLATE_REFUSED = "scheduling/appointment_cancel.html"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appointment_reschedule(
    request: AuthenticatedRequest, appointment_id: uuid.UUID
) -> HttpResponse:
    appointment = access_appointment(request, appointment_id)
    try:
        check_may_cancel(
            appointment, request.acting.relationship.value, timezone.now(), moving=True
        )
    except ValidationError as refusal:
        return render_refusal(request, appointment, refusal.messages[0])
    data = (request.POST if request.method == "POST" else request.GET).copy()
    if "time" not in data:
        return render_times(request, appointment)
    data["visit_type"] = str(appointment.visit_type_id)
    choice = chosen(appointment.patient, TimeChoiceForm(data))
    if choice is None:
        return redirect("scheduling:appointment-reschedule", appointment.pk)
    if request.method != "POST":
        return render_confirm(request, choice, appointment.reason, moving=appointment)
    return move(request, appointment, choice)


def move(request: AuthenticatedRequest, appointment: Appointment, choice: Choice) -> HttpResponse:
    """Reschedule through the service; a time just taken offers the next ones."""
    try:
        new = reschedule_appointment(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            appointment=appointment,
            starts_at=choice.starts_at,
            practitioner=choice.practitioner,
            location=choice.location,
            request=request,
        )
    except SlotTakenError as taken:
        return render_confirm(
            request, choice, appointment.reason, moving=appointment, taken=taken.next_slots
        )
    except ValidationError as refusal:
        return render_confirm(
            request, choice, appointment.reason, moving=appointment, refusal=refusal.messages[0]
        )
    messages.success(request, _("The appointment is moved. We have sent an e-mail about it."))
    return redirect("scheduling:appointment-detail", new.pk)


def render_times(request: AuthenticatedRequest, appointment: Appointment) -> HttpResponse:
    patient = appointment.patient
    context = times_context(request, patient, appointment.visit_type)
    context["confirm_url"] = reverse("scheduling:appointment-reschedule", args=[appointment.pk])
    context["moving"] = appointment
    with timezone.override(clinic_zone(patient)):
        return render(request, "scheduling/book_times.html", context)


def render_refusal(
    request: AuthenticatedRequest, appointment: Appointment, refusal: str
) -> HttpResponse:
    context = detail_context(appointment) | {"refusal": refusal, "moving": appointment}
    with timezone.override(clinic_zone(appointment.patient)):
        return render(request, TEMPLATE_REFUSED, context)
