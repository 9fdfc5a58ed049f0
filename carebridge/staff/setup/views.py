"""The set-up hub, the clinic's profile, its logo and its patient access settings.

Only clinic administrators (`manage_clinic`) of the clinic itself; everyone else gets the
console's 404. Views are thin: the form checks, a service writes and audits the change.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.clinic.models import Clinic
from carebridge.clinic.services.branding import remove_logo, set_logo
from carebridge.clinic.services.profile import set_patient_settings, update_clinic_profile
from carebridge.core.http import AuthenticatedRequest
from carebridge.staff.access import staff_required
from carebridge.staff.setup.forms import LogoForm, PatientSettingsForm, ProfileForm
from carebridge.staff.setup.links import SETUP_PAGES


def clinic_of(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD"])
def hub(request: AuthenticatedRequest) -> HttpResponse:
    """Every set-up page, with what it is for."""
    return render(
        request, "staff/setup/hub.html", {"pages": SETUP_PAGES, "clinic": clinic_of(request)}
    )


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's name, contact details, wording for patients, time zone and colour."""
    clinic = clinic_of(request)
    if request.method != "POST":
        form = ProfileForm(initial=ProfileForm.initial_for(clinic))
        return render(request, "staff/setup/profile.html", {"form": form})
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            update_clinic_profile(
                actor=request.user, clinic=clinic, profile=form.profile(), request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. Patients see the new details from now on."))
            return redirect("staff:setup-clinic")
    return render(request, "staff/setup/profile.html", {"form": form})


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def logo(request: AuthenticatedRequest) -> HttpResponse:
    """Upload the clinic's logo (or remove it: a POST with `remove`)."""
    clinic = clinic_of(request)
    form = LogoForm()
    if request.method == "POST" and request.POST.get("remove"):
        remove_logo(actor=request.user, clinic=clinic, request=request)
        messages.success(request, _("The logo is removed. Pages show the clinic's name alone."))
        return redirect("staff:setup-logo")
    if request.method == "POST":
        form = LogoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                set_logo(
                    actor=request.user,
                    clinic=clinic,
                    data=form.cleaned_data["logo"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error("logo", error)
            else:
                messages.success(request, _("Saved. Every page now shows the new logo."))
                return redirect("staff:setup-logo")
    return render(request, "staff/setup/logo.html", {"form": form, "clinic": clinic})


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def patient_settings(request: AuthenticatedRequest) -> HttpResponse:
    """What parents may see at which age, own accounts, two-step verification, activation."""
    clinic = clinic_of(request)
    if request.method != "POST":
        form = PatientSettingsForm(initial=PatientSettingsForm.initial_for(clinic))
        return render(request, "staff/setup/patients.html", {"form": form})
    form = PatientSettingsForm(request.POST)
    if form.is_valid():
        try:
            set_patient_settings(
                actor=request.user, clinic=clinic, chosen=form.settings(), request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved. The new settings apply from now on."))
            return redirect("staff:setup-patients")
    return render(request, "staff/setup/patients.html", {"form": form})
