"""The clinic's clinicians: list, add and change (clinic administrators of the clinic)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.clinic.models import Practitioner
from carebridge.clinic.services.clinicians import add_clinician, change_clinician
from carebridge.core.http import AuthenticatedRequest
from carebridge.staff.access import staff_required
from carebridge.staff.setup import selectors
from carebridge.staff.setup.forms import ClinicianForm
from carebridge.staff.setup.views import clinic_of


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD"])
def clinician_list(request: AuthenticatedRequest) -> HttpResponse:
    clinicians = selectors.list_clinicians(clinic_of(request))
    return render(request, "staff/setup/clinicians.html", {"clinicians": clinicians})


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def clinician_add(request: AuthenticatedRequest) -> HttpResponse:
    clinic = clinic_of(request)
    form = ClinicianForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            clinician = add_clinician(
                actor=request.user, clinic=clinic, details=form.details(), request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": clinician.display_name})
            return redirect("staff:setup-clinicians")
    return render(request, "staff/setup/clinician_form.html", {"form": form, "clinician": None})


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def clinician_change(request: AuthenticatedRequest, clinician_id: int) -> HttpResponse:
    clinic = clinic_of(request)
    clinician = selectors.get_clinician(clinic, clinician_id)
    form = ClinicianForm(
        request.POST or None,
        clinic=clinic,
        clinician_id=clinician.pk,
        initial=_initial(clinician),
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_clinician(
                actor=request.user, clinician=clinician, details=form.details(), request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:setup-clinicians")
    context = {"form": form, "clinician": clinician}
    return render(request, "staff/setup/clinician_form.html", context)


def _initial(clinician: Practitioner) -> dict[str, object]:
    fields = ("given_name", "family_name", "credentials", "specialty", "npi")
    return {name: getattr(clinician, name) for name in fields} | {
        "places": list(clinician.locations.all()),
        "staff": selectors.get_clinician_staff(clinician),
    }
