"""The console's schedule: the day and the week, one appointment and the desk's marks on it,
and blocked time. Booking for a patient and answering requests are in `schedule_booking_views`.

Only staff whose role holds `scheduling.manage_schedule` (front desk, nurses, clinicians and
clinic administrators; not billing) get these pages, and only for their own clinic: anything of
another clinic is a 404. Times are shown as the clinic's clock has them. The services make the
rules and write the audit trail; viewing an appointment is audited here.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event, record_list_view
from carebridge.clinic.models import Clinic
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.scheduling.models import Appointment, BookedAs, TimeOffKind
from carebridge.scheduling.services import desk
from carebridge.scheduling.services import time_off as time_off_rules
from carebridge.scheduling.services.booking import CANCELLABLE_STATUSES, cancel_appointment
from carebridge.staff import schedule_selectors as selectors
from carebridge.staff.access import staff_required
from carebridge.staff.schedule_forms import BlockTimeForm, ScheduleFilterForm, StaffCancelForm

PERMISSION = desk.SCHEDULE_PERMISSION
STAFF = BookedAs.STAFF.value
# The desk's marks, as the appointment page's buttons name them.
MARKS = {
    "arrived": (desk.mark_arrived, gettext_lazy("Marked as arrived.")),
    "completed": (desk.mark_completed, gettext_lazy("Marked as attended.")),
    "no_show": (desk.mark_no_show, gettext_lazy("Marked as missed.")),
}


def staff_clinic(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


def clinic_today(clinic: Clinic) -> datetime.date:
    return timezone.now().astimezone(selectors.clinic_zone(clinic)).date()


def read_filters(request: AuthenticatedRequest, clinic: Clinic) -> ScheduleFilterForm:
    """The filters in the address; an invalid one is left out."""
    form = ScheduleFilterForm(request.GET, clinic=clinic)
    form.is_valid()
    return form


def filter_link(name: str, form: ScheduleFilterForm, day: datetime.date) -> str:
    """The page `name` for `day`, keeping the chosen clinician and place."""
    query: dict[str, Any] = {"date": day.isoformat()}
    for key in ("practitioner", "location"):
        chosen = form.cleaned_data.get(key)
        if chosen is not None:
            query[key] = chosen.pk
    return reverse(name) + "?" + urlencode(query)


def chosen_filter(
    form: ScheduleFilterForm, clinic: Clinic, first_day: datetime.date, days: int
) -> selectors.ScheduleFilter:
    return selectors.ScheduleFilter(
        clinic=clinic,
        first_day=first_day,
        days=days,
        practitioner=form.cleaned_data.get("practitioner"),
        location=form.cleaned_data.get("location"),
    )


def render_in_clinic_time(
    request: AuthenticatedRequest, clinic: Clinic, template: str, context: dict[str, Any]
) -> HttpResponse:
    context = {"clinic": clinic, "time_zone": clinic.time_zone} | context
    with timezone.override(selectors.clinic_zone(clinic)):
        return render(request, template, context)


def _audit_schedule(
    request: AuthenticatedRequest,
    appointments: list[Appointment],
    others: Sequence[Patient | None] = (),
) -> None:
    """Audit rule: a schedule page is one view of "schedule" for each patient it lists (those
    of `others` too: the patients of the EHR appointments checked in online)."""
    record_list_view(
        actor=request.user,
        patients=[row.patient for row in appointments] + [p for p in others if p is not None],
        object_type="schedule",
        request=request,
    )


@staff_required(PERMISSION)
@require_safe
def schedule_day(request: AuthenticatedRequest) -> HttpResponse:
    """One day's appointments and time off, by clinician (a constant number of queries)."""
    clinic = staff_clinic(request)
    form = read_filters(request, clinic)
    day = form.cleaned_data.get("date") or clinic_today(clinic)
    chosen = chosen_filter(form, clinic, day, 1)
    clinic_wide, groups = selectors.list_day(chosen)
    shown = [row for group in groups for row in group.appointments]
    clinic_check_ins = selectors.list_clinic_check_ins(chosen)
    _audit_schedule(request, shown, [row.resource.patient for row in clinic_check_ins])
    one_day = datetime.timedelta(days=1)
    context = {
        "filters": form,
        "day": day,
        "clinic_wide": clinic_wide,
        "groups": groups,
        "clinic_check_ins": [(row, dollars(row.copay_cents)) for row in clinic_check_ins],
        "previous_url": filter_link("staff:schedule-day", form, day - one_day),
        "next_url": filter_link("staff:schedule-day", form, day + one_day),
        "week_url": filter_link("staff:schedule-week", form, day),
    }
    return render_in_clinic_time(request, clinic, "staff/schedule_day.html", context)


@staff_required(PERMISSION)
@require_safe
def schedule_week(request: AuthenticatedRequest) -> HttpResponse:
    """A week's appointments and time off, Monday first, day by day."""
    clinic = staff_clinic(request)
    form = read_filters(request, clinic)
    day = form.cleaned_data.get("date") or clinic_today(clinic)
    monday = day - datetime.timedelta(days=day.weekday())
    one_week = datetime.timedelta(days=7)
    days = selectors.list_week(chosen_filter(form, clinic, monday, 7))
    _audit_schedule(request, [row for day in days for row in day.appointments])
    context = {
        "filters": form,
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "days": days,
        "previous_url": filter_link("staff:schedule-week", form, monday - one_week),
        "next_url": filter_link("staff:schedule-week", form, monday + one_week),
    }
    return render_in_clinic_time(request, clinic, "staff/schedule_week.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_appointment(request: AuthenticatedRequest, appointment_id: uuid.UUID) -> HttpResponse:
    """One appointment with the patient's online check-in, and the desk's buttons. Viewing it
    is audited as staff viewing the patient's appointment."""
    clinic = staff_clinic(request)
    appointment = selectors.get_clinic_appointment(clinic, appointment_id)
    cancel_form = StaffCancelForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in MARKS:
            return apply_mark(request, appointment, action)
        cancel_form = StaffCancelForm(request.POST)
        if action == "cancel" and cancel_form.is_valid():
            return cancel(request, appointment, cancel_form.cleaned_data["reason"])
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="appointment",
        object_id=appointment.pk,
        patient=appointment.patient,
        acting_as=STAFF,
        request=request,
    )
    context = appointment_context(clinic, appointment, cancel_form)
    return render_in_clinic_time(request, clinic, "staff/schedule_appointment.html", context)


def appointment_context(
    clinic: Clinic, appointment: Appointment, cancel_form: StaffCancelForm
) -> dict[str, Any]:
    status = appointment.status
    check_in = getattr(appointment, "check_in", None)
    local_day = appointment.starts_at.astimezone(selectors.clinic_zone(clinic)).date()
    return {
        "appointment": appointment,
        "check_in": check_in,
        "copay": dollars(check_in.copay_cents) if check_in is not None else "",
        "cancel_form": cancel_form,
        "can_arrive": status in desk.ARRIVED_FROM,
        "can_complete": status in desk.COMPLETED_FROM,
        "can_no_show": status in desk.NO_SHOW_FROM and timezone.now() >= appointment.starts_at,
        "can_cancel": status in CANCELLABLE_STATUSES,
        "day_url": reverse("staff:schedule-day") + "?" + urlencode({"date": local_day}),
    }


def dollars(cents: int | None) -> str:
    """An amount in cents as dollars ("$25.00"); nothing when there is none."""
    if cents is None:
        return ""
    return f"${cents // 100:,}.{cents % 100:02d}"


def apply_mark(
    request: AuthenticatedRequest, appointment: Appointment, action: str
) -> HttpResponse:
    service, done = MARKS[action]
    try:
        service(actor=request.user, appointment=appointment, now=timezone.now(), request=request)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, done)
    return redirect("staff:schedule-appointment", appointment.pk)


def cancel(request: AuthenticatedRequest, appointment: Appointment, reason: str) -> HttpResponse:
    try:
        cancel_appointment(
            actor=request.user,
            acting_as=STAFF,
            appointment=appointment,
            reason=reason,
            now=timezone.now(),
            request=request,
        )
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, _("Cancelled. The patient has been sent an e-mail."))
    return redirect("staff:schedule-appointment", appointment.pk)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_block(request: AuthenticatedRequest) -> HttpResponse:
    """Block time, and the blocked time still to come."""
    clinic = staff_clinic(request)
    data = request.POST if request.method == "POST" else None
    with_holidays = time_off_rules.may_handle_holidays(request.user)
    form = BlockTimeForm(data, clinic=clinic, with_holidays=with_holidays)
    in_the_way: list[Appointment] = []
    if form.is_valid():
        try:
            desk.block_time(
                actor=request.user,
                clinic=clinic,
                practitioner=form.cleaned_data["practitioner"],
                location=form.cleaned_data["location"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                note=form.cleaned_data["note"],
                kind=form.cleaned_data.get("kind", TimeOffKind.BLOCKED),
                request=request,
            )
        except desk.AppointmentsInTheWayError as refusal:
            in_the_way = refusal.appointments
            form.add_error(None, refusal.messages[0])
        except ValidationError as refusal:
            form.add_error(None, refusal.messages[0])
        else:
            messages.success(request, _("The time is blocked."))
            return redirect("staff:schedule-block")
    context = {
        "form": form,
        "in_the_way": in_the_way,
        "blocks": selectors.list_upcoming_blocks(clinic, timezone.now()),
        "with_holidays": with_holidays,
    }
    return render_in_clinic_time(request, clinic, "staff/schedule_block.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def schedule_block_remove(request: AuthenticatedRequest, time_off_id: int) -> HttpResponse:
    """Ask, then remove blocked time so that it can be booked again (a holiday only by a
    clinic administrator)."""
    clinic = staff_clinic(request)
    block = selectors.get_clinic_block(clinic, time_off_id)
    if request.method == "POST":
        try:
            desk.remove_blocked_time(actor=request.user, time_off=block, request=request)
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
        else:
            messages.success(request, _("The blocked time is removed."))
        return redirect("staff:schedule-block")
    context = {"block": block}
    return render_in_clinic_time(request, clinic, "staff/schedule_block_remove.html", context)
