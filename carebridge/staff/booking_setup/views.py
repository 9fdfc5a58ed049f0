"""The booking set-up pages: visit types, and each clinician's weekly hours.

Only clinic administrators (`clinic.manage_clinic`) get them, and only for their own clinic: a
visit type, clinician or block of hours of another clinic is a 404. Views are thin: a selector
finds the object in the clinic, the service checks, writes and audits (`record_change`), and a
refusal comes back as a message on the form with nothing saved. These pages show no patient.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carebridge.clinic.models import Clinic
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.scheduling.services import setup as services
from carebridge.staff.access import staff_required
from carebridge.staff.booking_setup import selectors
from carebridge.staff.booking_setup.forms import (
    NEW_VISIT_TYPE,
    VisitTypeForm,
    WeeklyHoursForm,
    visit_type_initial,
)

PERMISSION = "manage_clinic"


def _clinic(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


def _refused(form: VisitTypeForm | WeeklyHoursForm, refusal: ValidationError) -> None:
    """Put a service's refusal on the form: beside its field when it names one."""
    if hasattr(refusal, "error_dict"):
        for name, errors in refusal.message_dict.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, refusal.messages[0])


@staff_required(PERMISSION)
@require_safe
def visit_type_list(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's visit types: offered or not, who may book online, how long."""
    context = {"visit_types": selectors.list_visit_types(_clinic(request))}
    return render(request, "staff/booking_setup/visit_types.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def visit_type_add(request: AuthenticatedRequest) -> HttpResponse:
    """Add a visit type (the service refuses one that breaks the rules; nothing is saved)."""
    clinic = _clinic(request)
    if request.method != "POST":
        form = VisitTypeForm(initial=NEW_VISIT_TYPE, clinic=clinic)
    else:
        form = VisitTypeForm(request.POST, clinic=clinic)
        if form.is_valid():
            try:
                added = services.add_visit_type(
                    actor=Actor.from_request(request), clinic=clinic, settings=form.settings()
                )
            except ValidationError as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("“%(name)s” is added.") % {"name": added.name})
                return redirect("staff:setup-visit-types")
    context = {"form": form, "visit_type": None}
    return render(request, "staff/booking_setup/visit_type_form.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def visit_type_edit(request: AuthenticatedRequest, visit_type_id: int) -> HttpResponse:
    """Change a visit type. Appointments already booked keep their time, clinician and place."""
    clinic = _clinic(request)
    visit_type = selectors.get_visit_type(clinic, visit_type_id)
    if request.method != "POST":
        form = VisitTypeForm(initial=visit_type_initial(visit_type), clinic=clinic)
    else:
        form = VisitTypeForm(request.POST, clinic=clinic)
        if form.is_valid():
            try:
                services.change_visit_type(
                    actor=Actor.from_request(request),
                    visit_type=visit_type,
                    settings=form.settings(),
                )
            except ValidationError as refusal:
                _refused(form, refusal)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("staff:setup-visit-types")
    context = {"form": form, "visit_type": visit_type}
    return render(request, "staff/booking_setup/visit_type_form.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def visit_type_remove(request: AuthenticatedRequest, visit_type_id: int) -> HttpResponse:
    """Ask, then remove a visit type nobody has used; one that has been used is kept."""
    visit_type = selectors.get_visit_type(_clinic(request), visit_type_id)
    in_use = services.is_visit_type_in_use(visit_type)
    if request.method == "POST" and not in_use:
        try:
            services.remove_visit_type(actor=Actor.from_request(request), visit_type=visit_type)
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
        else:
            messages.success(request, _("The visit type is removed."))
        return redirect("staff:setup-visit-types")
    context = {"visit_type": visit_type, "in_use": in_use}
    return render(request, "staff/booking_setup/visit_type_remove.html", context)


@staff_required(PERMISSION)
@require_safe
def hours_list(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's clinicians, their places, and whether they have weekly hours."""
    context = {"clinicians": selectors.list_clinicians(_clinic(request))}
    return render(request, "staff/booking_setup/hours_list.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def hours_clinician(request: AuthenticatedRequest, practitioner_id: int) -> HttpResponse:
    """One clinician's weekly hours, and a form to add a block (POST)."""
    clinician = selectors.get_clinician(_clinic(request), practitioner_id)
    data = request.POST if request.method == "POST" else None
    form = WeeklyHoursForm(data, practitioner=clinician)
    if form.is_valid():
        try:
            services.add_weekly_hours(
                actor=Actor.from_request(request), practitioner=clinician, **form.cleaned_data
            )
        except ValidationError as refusal:
            _refused(form, refusal)
        else:
            messages.success(
                request, _("The hours are added. Patients can book these times from now on.")
            )
            return redirect("staff:setup-hours-clinician", clinician.pk)
    context = {
        "clinician": clinician,
        "hours": selectors.list_weekly_hours(clinician),
        "form": form,
        "has_places": clinician.locations.exists(),
    }
    return render(request, "staff/booking_setup/hours_clinician.html", context)


@staff_required(PERMISSION)
@require_POST
def hours_remove(
    request: AuthenticatedRequest, practitioner_id: int, hours_id: int
) -> HttpResponse:
    """Remove a block of weekly hours; appointments already booked in it are kept."""
    clinician = selectors.get_clinician(_clinic(request), practitioner_id)
    hours = selectors.get_weekly_hours(clinician, hours_id)
    services.remove_weekly_hours(actor=Actor.from_request(request), hours=hours)
    messages.success(
        request,
        _(
            "The hours are removed. Patients cannot book these times from now on; appointments "
            "already booked are kept."
        ),
    )
    return redirect("staff:setup-hours-clinician", clinician.pk)
