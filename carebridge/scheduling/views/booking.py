"""Booking, in three steps: the kind of visit and why; a free time; confirm.

Privacy rule: the reason is health information, so it never goes in an address: step 1 keeps it
in the session (for this patient and this kind of visit) and the confirmation reads it back.
The addresses carry only ids, dates and times. Booking itself is `services.book_appointment`,
as the patient or as a caregiver or parent with the appointments scope (`request.acting`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.clinic.models import Location, Practitioner
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.records.selectors.wording import clinic_zone
from carebridge.scheduling.access import access_appointments
from carebridge.scheduling.availability import Slot, available_slots
from carebridge.scheduling.forms import TimeChoiceForm, TimesFilterForm, VisitChoiceForm
from carebridge.scheduling.models import Appointment, VisitType
from carebridge.scheduling.pages import window_warning
from carebridge.scheduling.selectors import (
    VisitTypeChoices,
    get_own_clinician,
    group_by_day,
    list_visit_types,
    page_of_days,
)
from carebridge.scheduling.services import SlotTakenError, book_appointment, is_established
from carebridge.scheduling.services.checkin import expected_copay_words

BOOKING_SESSION_KEY = "scheduling.booking"
# The times page shows the first days with free times over the following weeks, each day's
# first few times ("More times on Tuesday" shows the rest) and "Next days" for the days after.
DAYS_SHOWN = 5
TIMES_PER_DAY = 6
TIMES_FETCHED = 500
DAYS_SEARCHED = 28


@dataclass(frozen=True)
class Choice:
    """A chosen time, checked against what the clinic offers this patient."""

    visit_type: VisitType
    practitioner: Practitioner
    location: Location
    starts_at: datetime.datetime

    def as_slot(self) -> Slot:
        ends_at = self.starts_at + self.visit_type.duration
        return Slot(self.starts_at, ends_at, self.practitioner, self.location)


def bookable_types(patient: Patient) -> VisitTypeChoices:
    return list_visit_types(patient, is_established=is_established(patient))


def bookable_type(patient: Patient, raw_id: object) -> VisitType | None:
    """The visit type with this id, if this patient may book it online; else None."""
    try:
        pk = int(str(raw_id))
    except ValueError:
        return None
    rows = bookable_types(patient).bookable.select_related("clinic")
    return rows.filter(pk=pk).first()


def times_url(visit_type: VisitType) -> str:
    return reverse("scheduling:book-times") + "?" + urlencode({"type": visit_type.pk})


def remember_reason(
    request: AuthenticatedRequest, patient: Patient, visit_type: VisitType, reason: str
) -> None:
    request.session[BOOKING_SESSION_KEY] = {
        "patient": str(patient.pk),
        "visit_type": visit_type.pk,
        "reason": reason,
    }


def remembered_reason(
    request: AuthenticatedRequest, patient: Patient, visit_type: VisitType
) -> str:
    """The reason given at step 1 for this patient and kind of visit, or nothing."""
    saved = request.session.get(BOOKING_SESSION_KEY) or {}
    if saved.get("patient") != str(patient.pk) or saved.get("visit_type") != visit_type.pk:
        return ""
    return str(saved.get("reason", ""))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def book(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_appointments(request)
    choices = bookable_types(patient)
    data = request.POST if request.method == "POST" else None
    form = VisitChoiceForm(data, visit_types=choices.bookable)
    if form.is_valid():
        visit_type = form.cleaned_data["visit_type"]
        remember_reason(request, patient, visit_type, form.cleaned_data["reason"])
        return redirect(times_url(visit_type))
    context = {"form": form, "ask_only": choices.ask_only, "clinic": patient.clinic}
    return render(request, "scheduling/book.html", context)


@login_required
@require_safe
def book_times(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_appointments(request)
    visit_type = bookable_type(patient, request.GET.get("type"))
    if visit_type is None:
        return redirect("scheduling:book")
    context = times_context(request, patient, visit_type)
    context["confirm_url"] = reverse("scheduling:book-confirm")
    with timezone.override(clinic_zone(patient)):
        return render(request, "scheduling/book_times.html", context)


def times_context(
    request: AuthenticatedRequest, patient: Patient, visit_type: VisitType
) -> dict[str, Any]:
    """The free times of the visit type, filtered as the address says (invalid filters are
    left out), a page of the clinic's days: the first times of each day, all of one day when
    the address opens it (`more`), and where the next days start. With no clinician chosen,
    the patient's own (`get_own_clinician`) is chosen for them; "Anyone" shows everyone's."""
    data = request.GET.copy()
    own = None if "practitioner" in data else get_own_clinician(patient, visit_type)
    if own is not None:
        data["practitioner"] = str(own.pk)
    filters = TimesFilterForm(data, visit_type=visit_type)
    filters.is_valid()
    zone = clinic_zone(patient)
    today = timezone.now().astimezone(zone).date()
    date_from = max(filters.cleaned_data.get("date") or today, today)
    slots = available_slots(
        visit_type,
        now=timezone.now(),
        date_from=date_from,
        days=DAYS_SEARCHED,
        practitioner=filters.cleaned_data.get("practitioner"),
        location=filters.cleaned_data.get("location"),
        limit=TIMES_FETCHED,
    )
    page = page_of_days(
        group_by_day(slots, zone),
        days_shown=DAYS_SHOWN,
        times_per_day=TIMES_PER_DAY,
        opened=opened_day(request),
    )
    return {
        "visit_type": visit_type,
        "filters": filters,
        "own_clinician": own,
        "days": page.days,
        "next_days_url": page_url(data, date=page.next_from) if page.next_from else "",
        "soonest_url": page_url(data, date=None) if date_from > today else "",
        "more_url": page_url(data, date=date_from if date_from > today else None),
        "time_zone": zone.key,
    }


def opened_day(request: AuthenticatedRequest) -> datetime.date | None:
    """The day whose times are all shown (`more` in the address), if it is a date."""
    try:
        return datetime.date.fromisoformat(request.GET.get("more", ""))
    except ValueError:
        return None


def page_url(data: QueryDict, *, date: datetime.date | None) -> str:
    """This page's address with the same filters, from `date` (None: from today), and no day
    opened in full."""
    query = data.copy()
    query.pop("more", None)
    query.pop("date", None)
    if date is not None:
        query["date"] = date.isoformat()
    return "?" + query.urlencode()


def chosen(patient: Patient, form: TimeChoiceForm) -> Choice | None:
    """The time the form names, if its kind of visit, clinician and place are offered."""
    if not form.is_valid():
        return None
    visit_type = bookable_type(patient, form.cleaned_data["visit_type"])
    if visit_type is None:
        return None
    practitioner_id, location_id, starts_at = form.cleaned_data["time"]
    practitioner = visit_type.practitioners.filter(pk=practitioner_id).first()
    location = visit_type.locations.filter(pk=location_id).first()
    if practitioner is None or location is None:
        return None
    return Choice(visit_type, practitioner, location, starts_at.astimezone(datetime.UTC))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def book_confirm(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_appointments(request)
    data = request.POST if request.method == "POST" else request.GET
    choice = chosen(patient, TimeChoiceForm(data))
    if choice is None:
        return redirect("scheduling:book")
    reason = remembered_reason(request, patient, choice.visit_type)
    if request.method != "POST":
        return render_confirm(request, choice, reason)
    try:
        appointment = book_appointment(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            patient=patient,
            visit_type=choice.visit_type,
            practitioner=choice.practitioner,
            location=choice.location,
            starts_at=choice.starts_at,
            reason=reason,
            request=request,
        )
    except SlotTakenError as taken:
        return render_confirm(request, choice, reason, taken=taken.next_slots)
    except ValidationError as refusal:
        return render_confirm(request, choice, reason, refusal=refusal.messages[0])
    request.session.pop(BOOKING_SESSION_KEY, None)
    messages.success(request, _("The appointment is booked. We have sent a confirmation e-mail."))
    return redirect("scheduling:appointment-detail", appointment.pk)


def render_confirm(
    request: AuthenticatedRequest,
    choice: Choice,
    reason: str,
    *,
    taken: list[Slot] | None = None,
    refusal: str = "",
    moving: Appointment | None = None,
) -> HttpResponse:
    """The confirmation page (booking, or `moving` an appointment), or the next times when
    the chosen one was just `taken`, or why it cannot be booked (`refusal`)."""
    times = times_url(choice.visit_type)
    if moving is not None:
        times = reverse("scheduling:appointment-reschedule", args=[moving.pk])
    context = {
        "moving": moving,
        "choice": choice,
        "slot": choice.as_slot(),
        "reason": reason,
        "taken": taken,
        "refusal": refusal,
        "times_url": times,
        "time_zone": choice.visit_type.clinic.time_zone,
        "copay": expected_copay_words(request.acting.patient, choice.visit_type.copay_cents),
        "window_warning": window_warning(
            choice.visit_type, choice.starts_at, choice.visit_type.clinic.phone, timezone.now()
        ),
    }
    with timezone.override(ZoneInfo(choice.visit_type.clinic.time_zone)):
        return render(request, "scheduling/book_confirm.html", context)
