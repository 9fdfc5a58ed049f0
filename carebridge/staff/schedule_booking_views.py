"""The console's booking pages: booking a visit for a patient, and answering the requests
patients send for visits that cannot be booked online.

Staff with `scheduling.manage_schedule` may book any offered kind of visit of their clinic
(request-only ones too) for any patient of their clinic; anything of another clinic is a 404.
The free times are the patients' (`scheduling.availability`); the services book, answer, audit
and e-mail. The reason for a visit and replies travel only in POST bodies, never in addresses.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event, record_list_view
from carebridge.clinic.models import Clinic, Location, Practitioner
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.scheduling.availability import Slot, available_slots
from carebridge.scheduling.models import AppointmentRequest, RequestStatus, VisitType
from carebridge.scheduling.selectors import group_by_day
from carebridge.scheduling.services import desk
from carebridge.scheduling.services.booking import SlotTakenError, book_appointment
from carebridge.staff import patient_search
from carebridge.staff import schedule_selectors as selectors
from carebridge.staff import selectors as patient_selectors
from carebridge.staff.access import staff_required
from carebridge.staff.schedule_forms import (
    ApproveForm,
    ChosenTimeForm,
    DeclineForm,
    StaffBookForm,
    StaffTimesForm,
)
from carebridge.staff.schedule_views import (
    PERMISSION,
    STAFF,
    clinic_today,
    render_in_clinic_time,
    staff_clinic,
)

# A search lists this many patients at most; staff narrow it down with more letters.
PATIENTS_FOUND = 20
REQUESTS_PER_PAGE = 25
TIMES_SHOWN = 30
DAYS_SEARCHED = 28

Choice = tuple[Practitioner, Location, datetime.datetime]


def clinic_patient(clinic: Clinic, raw_id: object) -> Patient | None:
    """The clinic's patient with this id, or None (a bad id, or another clinic's patient)."""
    try:
        pk = uuid.UUID(str(raw_id))
    except ValueError:
        return None
    return Patient.objects.filter(clinic=clinic, pk=pk).first()


def clinic_visit_type(clinic: Clinic, raw_id: object) -> VisitType | None:
    """The clinic's offered visit type with this id (any: staff may book request-only ones)."""
    try:
        pk = int(str(raw_id))
    except ValueError:
        return None
    return selectors.list_visit_types(clinic).select_related("clinic").filter(pk=pk).first()


def free_times(
    clinic: Clinic,
    visit_type: VisitType,
    practitioner: Practitioner | None,
    location: Location | None,
    first_day: datetime.date | None,
) -> list[Slot]:
    """The next free times of the visit type, from the chosen day (four queries)."""
    today = clinic_today(clinic)
    return available_slots(
        visit_type,
        now=timezone.now(),
        date_from=max(first_day or today, today),
        days=DAYS_SEARCHED,
        practitioner=practitioner,
        location=location,
        limit=TIMES_SHOWN,
    )


def times_context(
    clinic: Clinic, visit_type: VisitType | None, filters: StaffTimesForm
) -> dict[str, Any]:
    if visit_type is None:
        return {"days": None}
    slots = free_times(
        clinic,
        visit_type,
        filters.cleaned_data.get("practitioner"),
        filters.cleaned_data.get("location"),
        filters.cleaned_data.get("date"),
    )
    return {"days": group_by_day(slots, selectors.clinic_zone(clinic))}


def chosen_time(visit_type: VisitType, form: ChosenTimeForm) -> Choice | None:
    """The chosen time's clinician and place, if they offer the visit type."""
    practitioner_id, location_id, starts_at = form.cleaned_data["time"]
    practitioner = visit_type.practitioners.filter(pk=practitioner_id).first()
    location = visit_type.locations.filter(pk=location_id).first()
    if practitioner is None or location is None:
        return None
    return practitioner, location, starts_at.astimezone(datetime.UTC)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_book(request: AuthenticatedRequest) -> HttpResponse:
    """Book for a patient: find the patient, choose the kind of visit and a free time."""
    clinic = staff_clinic(request)
    if request.method == "POST" and request.POST.get("action") == "search":
        patient_search.remember_search(request, "schedule-book")
        return redirect("staff:schedule-book")
    if request.method == "POST":
        return book_posted(request, clinic)
    patient = clinic_patient(clinic, request.GET.get("patient"))
    if request.GET.get("patient") and patient is None:
        raise Http404
    if patient is None:
        return render_patient_search(request, clinic)
    # Audit rule: the page shows the chosen patient's name, so showing it is a view by staff.
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="appointments",
        patient=patient,
        acting_as=STAFF,
        request=request,
    )
    filters = StaffTimesForm(request.GET if "visit_type" in request.GET else None, clinic=clinic)
    visit_type = filters.cleaned_data["visit_type"] if filters.is_valid() else None
    context = {"patient": patient, "filters": filters, "visit_type": visit_type}
    context |= times_context(clinic, visit_type, filters)
    return render_in_clinic_time(request, clinic, "staff/schedule_book.html", context)


def render_patient_search(
    request: AuthenticatedRequest, clinic: Clinic, *, error: str = ""
) -> HttpResponse:
    """Step 1: find the patient. The words are posted and kept in the session, never put in
    the address (see `patient_search`); each patient found is audited as a view of the list."""
    text = patient_search.remembered_search(request, "schedule-book")
    found: list[Patient] = []
    if text:
        rows = patient_selectors.list_clinic_patients(clinic=clinic, text=text)
        found = list(rows[:PATIENTS_FOUND])
        record_list_view(
            actor=request.user, patients=found, object_type="patient_list", request=request
        )
    form = patient_search.search_form(text)
    context = {"form": form, "search_text": text, "found": found, "error": error}
    return render_in_clinic_time(request, clinic, "staff/schedule_book_patient.html", context)


def book_posted(request: AuthenticatedRequest, clinic: Clinic) -> HttpResponse:
    form = StaffBookForm(request.POST)
    patient = clinic_patient(clinic, request.POST.get("patient"))
    if patient is None:
        return render_patient_search(request, clinic, error=_("Choose the patient first."))
    visit_type = clinic_visit_type(clinic, request.POST.get("visit_type"))
    if visit_type is None:
        return redirect_to_times(patient)
    filters = StaffTimesForm({"visit_type": visit_type.pk}, clinic=clinic)
    filters.is_valid()
    context: dict[str, Any] = {"patient": patient, "filters": filters, "visit_type": visit_type}
    choice = chosen_time(visit_type, form) if form.is_valid() else None
    if choice is None:
        context |= times_context(clinic, visit_type, filters)
        context["refusal"] = _("Choose one of the times.")
        return render_in_clinic_time(request, clinic, "staff/schedule_book.html", context)
    practitioner, location, starts_at = choice
    try:
        appointment = book_appointment(
            actor=request.user,
            acting_as=STAFF,
            patient=patient,
            visit_type=visit_type,
            practitioner=practitioner,
            location=location,
            starts_at=starts_at,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except SlotTakenError as taken:
        context |= {"refusal": taken.messages[0], "taken": taken.next_slots, "form": form}
        return render_in_clinic_time(request, clinic, "staff/schedule_book.html", context)
    except ValidationError as refusal:
        context |= times_context(clinic, visit_type, filters)
        context |= {"refusal": refusal.messages[0], "form": form}
        return render_in_clinic_time(request, clinic, "staff/schedule_book.html", context)
    messages.success(request, _("Booked. The patient has been sent a confirmation e-mail."))
    return redirect("staff:schedule-appointment", appointment.pk)


def redirect_to_times(patient: Patient) -> HttpResponse:
    return redirect(reverse("staff:schedule-book") + "?" + urlencode({"patient": patient.pk}))


@staff_required(PERMISSION)
@require_safe
def schedule_requests(request: AuthenticatedRequest) -> HttpResponse:
    """Requests waiting for an answer, oldest first. Audit rule: one view of the queue for
    each patient whose request the page shows."""
    clinic = staff_clinic(request)
    rows = selectors.list_waiting_requests(clinic)
    page = Paginator(rows, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(
        actor=request.user,
        patients=[sent.patient for sent in page.object_list],
        object_type="appointment_requests",
        request=request,
    )
    context = {"page": page}
    return render_in_clinic_time(request, clinic, "staff/schedule_requests.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_request(request: AuthenticatedRequest, request_id: uuid.UUID) -> HttpResponse:
    """One request: approve it by choosing a free time, or decline it with a reply. Viewing it
    is audited as staff viewing the patient's request."""
    clinic = staff_clinic(request)
    sent = selectors.get_clinic_request(clinic, request_id)
    if request.method == "POST" and sent.status == RequestStatus.REQUESTED:
        action = request.POST.get("action")
        if action == "approve":
            return approve(request, clinic, sent)
        if action == "decline":
            return decline(request, clinic, sent)
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="appointment_request",
        object_id=sent.pk,
        patient=sent.patient,
        acting_as=STAFF,
        request=request,
    )
    return render_request(request, clinic, sent)


def render_request(
    request: AuthenticatedRequest, clinic: Clinic, sent: AppointmentRequest, **extra: Any
) -> HttpResponse:
    filters = StaffTimesForm(request.GET, clinic=clinic, with_type=False)
    filters.is_valid()
    context: dict[str, Any] = {
        "sent": sent,
        "filters": filters,
        "approve_form": ApproveForm(),
        "decline_form": DeclineForm(),
    }
    if sent.status == RequestStatus.REQUESTED:
        context |= times_context(clinic, sent.visit_type, filters)
    context |= extra
    return render_in_clinic_time(request, clinic, "staff/schedule_request.html", context)


def approve(
    request: AuthenticatedRequest, clinic: Clinic, sent: AppointmentRequest
) -> HttpResponse:
    form = ApproveForm(request.POST)
    choice = chosen_time(sent.visit_type, form) if form.is_valid() else None
    if choice is None:
        form.add_error(None, _("Choose one of the times."))
        return render_request(request, clinic, sent, approve_form=form)
    practitioner, location, starts_at = choice
    try:
        desk.approve_request(
            actor=request.user,
            appointment_request=sent,
            practitioner=practitioner,
            location=location,
            starts_at=starts_at,
            reply=form.cleaned_data["reply"],
            request=request,
        )
    except SlotTakenError as taken:
        return render_request(
            request,
            clinic,
            sent,
            approve_form=form,
            refusal=taken.messages[0],
            taken=taken.next_slots,
        )
    except ValidationError as refusal:
        return render_request(request, clinic, sent, approve_form=form, refusal=refusal.messages[0])
    messages.success(request, _("Approved and booked. The patient has been sent an e-mail."))
    return redirect("staff:schedule-requests")


def decline(
    request: AuthenticatedRequest, clinic: Clinic, sent: AppointmentRequest
) -> HttpResponse:
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return render_request(request, clinic, sent, decline_form=form)
    try:
        desk.decline_request(
            actor=request.user,
            appointment_request=sent,
            reply=form.cleaned_data["reply"],
            request=request,
        )
    except ValidationError as refusal:
        return render_request(request, clinic, sent, decline_form=form, refusal=refusal.messages[0])
    messages.success(request, _("Declined. The patient has been sent an e-mail."))
    return redirect("staff:schedule-requests")
