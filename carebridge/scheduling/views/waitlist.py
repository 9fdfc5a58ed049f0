"""The waiting list pages: join it (for a new booking, from the times page, or to move a booked
appointment earlier, from its page), leave it, and answer an offer of an earlier time.

Privacy rule: the reason for a new booking stays in the session, as in booking; the addresses
carry only ids. An entry or offer of another patient is a 404, like a missing one; every page
that shows one is audited as a view of the patient's appointments, by its id.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.audit.models import AuditOutcome
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.proxies.models import ProxyScope
from carebridge.records.selectors.wording import clinic_zone
from carebridge.scheduling.access import (
    access_appointment,
    access_appointments,
    record_appointments_view,
)
from carebridge.scheduling.ics import address_words
from carebridge.scheduling.models import (
    Appointment,
    OfferStatus,
    VisitType,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from carebridge.scheduling.selectors import get_waitlist_entry, get_waitlist_offer
from carebridge.scheduling.services import (
    accept_offer,
    decline_offer,
    join_waitlist,
    leave_waitlist,
)
from carebridge.scheduling.services.waitlist import check_appointment_to_move
from carebridge.scheduling.views.booking import (
    BOOKING_SESSION_KEY,
    bookable_type,
    remembered_reason,
)
from carebridge.scheduling.waitlist_forms import WaitlistJoinForm

Row = TypeVar("Row", WaitlistEntry, WaitlistOffer)


def access_waitlist_row(
    request: AuthenticatedRequest,
    row_id: uuid.UUID,
    get: Callable[[Patient, uuid.UUID], Row | None],
) -> Row:
    """A waitlist entry or offer of the patient the viewer acts for, with the view audited by
    its id; 404 as `access.access_appointment` (missing and forbidden look the same)."""
    patient = request.acting.patient
    if patient is None:
        raise Http404
    if not request.acting.may(ProxyScope.APPOINTMENTS):
        record_appointments_view(request, patient, object_id=row_id, outcome=AuditOutcome.DENIED)
        raise Http404
    row = get(patient, row_id)
    if row is None:
        raise Http404
    record_appointments_view(request, patient, object_id=row.pk)
    return row


def render_in_zone(
    request: AuthenticatedRequest, patient: Patient, template: str, context: dict[str, Any]
) -> HttpResponse:
    zone = clinic_zone(patient)
    context = context | {"clinic": patient.clinic, "time_zone": zone.key}
    with timezone.override(zone):
        return render(request, template, context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def waitlist_join(request: AuthenticatedRequest) -> HttpResponse:
    """Join for a new booking of the kind chosen at step 1 (`?type=`), with its reason."""
    patient = access_appointments(request)
    visit_type = bookable_type(patient, request.GET.get("type"))
    if visit_type is None:
        return redirect("scheduling:book")
    reason = remembered_reason(request, patient, visit_type)
    return join_page(request, patient, visit_type, reason=reason)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appointment_waitlist(request: AuthenticatedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """Join to move a booked appointment to an earlier time, when one opens."""
    appointment = access_appointment(request, appointment_id)
    patient = appointment.patient
    try:
        check_appointment_to_move(appointment, patient, appointment.visit_type)
    except ValidationError as refusal:
        context = {"appointment": appointment, "refusal": refusal.messages[0]}
        return render_in_zone(request, patient, "scheduling/waitlist_join.html", context)
    return join_page(request, patient, appointment.visit_type, appointment=appointment)


def join_page(
    request: AuthenticatedRequest,
    patient: Patient,
    visit_type: VisitType,
    *,
    reason: str = "",
    appointment: Appointment | None = None,
) -> HttpResponse:
    """The form (whom with, where), and joining through the service on POST."""
    initial = {}
    if appointment is not None:
        initial = {"practitioner": appointment.practitioner_id}
    data = request.POST if request.method == "POST" else None
    form = WaitlistJoinForm(data, visit_type=visit_type, initial=initial)
    if form.is_valid():
        try:
            join_waitlist(
                actor=request.user,
                acting_as=request.acting.relationship.value,
                patient=patient,
                visit_type=visit_type,
                appointment=appointment,
                reason=reason,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            return joined(request, appointment)
    context = {
        "form": form,
        "visit_type": visit_type,
        "appointment": appointment,
        "reason": reason,
    }
    return render_in_zone(request, patient, "scheduling/waitlist_join.html", context)


def joined(request: AuthenticatedRequest, appointment: Appointment | None) -> HttpResponse:
    if appointment is None:
        request.session.pop(BOOKING_SESSION_KEY, None)
        done = _("You are on the waiting list. We will e-mail you if a time opens.")
    else:
        done = _("You are on the waiting list. We will e-mail you if an earlier time opens.")
    messages.success(request, done)
    return redirect("scheduling:appointments")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def waitlist_leave(request: AuthenticatedRequest, entry_id: uuid.UUID) -> HttpResponse:
    """Ask to confirm, then take the patient off the list (POST)."""
    entry = access_waitlist_row(request, entry_id, get_waitlist_entry)
    if entry.status != WaitlistStatus.WAITING:
        messages.info(request, _("You are no longer on this waiting list."))
        return redirect("scheduling:appointments")
    if request.method != "POST":
        context = {"entry": entry}
        return render_in_zone(request, entry.patient, "scheduling/waitlist_leave.html", context)
    try:
        leave_waitlist(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            entry=entry,
            now=timezone.now(),
            request=request,
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, _("You are off the waiting list."))
    return redirect("scheduling:appointments")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def waitlist_offer(request: AuthenticatedRequest, offer_id: uuid.UUID) -> HttpResponse:
    """The offered time, with Accept and No thanks (POST `answer`)."""
    offer = access_waitlist_row(request, offer_id, get_waitlist_offer)
    answer = request.POST.get("answer") if request.method == "POST" else None
    if answer == "accept":
        return accept(request, offer)
    if answer == "decline":
        return decline(request, offer)
    return render_offer(request, offer)


def accept(request: AuthenticatedRequest, offer: WaitlistOffer) -> HttpResponse:
    moving = offer.entry.appointment is not None
    try:
        appointment = accept_offer(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            offer=offer,
            now=timezone.now(),
            request=request,
        )
    except ValidationError as refusal:
        return render_offer(request, reloaded(offer), refusal=refusal.messages[0])
    if moving:
        done = _("The appointment is moved. We have sent an e-mail about it.")
    else:
        done = _("The appointment is booked. We have sent a confirmation e-mail.")
    messages.success(request, done)
    return redirect("scheduling:appointment-detail", appointment.pk)


def decline(request: AuthenticatedRequest, offer: WaitlistOffer) -> HttpResponse:
    try:
        decline_offer(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            offer=offer,
            now=timezone.now(),
            request=request,
        )
    except ValidationError as refusal:
        return render_offer(request, reloaded(offer), refusal=refusal.messages[0])
    messages.success(request, _("Thank you for letting us know. You are still on the list."))
    return redirect("scheduling:appointments")


def reloaded(offer: WaitlistOffer) -> WaitlistOffer:
    """The offer as it is now (a refused answer may have marked it expired or taken)."""
    return get_waitlist_offer(offer.entry.patient, offer.pk) or offer


def render_offer(
    request: AuthenticatedRequest, offer: WaitlistOffer, *, refusal: str = ""
) -> HttpResponse:
    is_open = offer.status == OfferStatus.OPEN and timezone.now() < offer.expires_at
    status = offer.get_status_display()
    if offer.status == OfferStatus.OPEN and not is_open:
        status = str(OfferStatus.EXPIRED.label)
    context = {
        "status": status,
        "offer": offer,
        "entry": offer.entry,
        "visit_type": offer.entry.visit_type,
        "moving": offer.entry.appointment,
        "address": address_words(offer.location),
        "is_open": is_open and not refusal,
        "refusal": refusal,
    }
    return render_in_zone(request, offer.entry.patient, "scheduling/waitlist_offer.html", context)
