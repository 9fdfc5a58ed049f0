"""The clinic's places: list, add, change and remove (clinic administrators of the clinic)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.clinic.services.places import add_place, change_place, remove_place
from carebridge.core.http import AuthenticatedRequest
from carebridge.staff.access import staff_required
from carebridge.staff.setup import selectors
from carebridge.staff.setup.forms import PlaceForm
from carebridge.staff.setup.views import clinic_of


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD"])
def place_list(request: AuthenticatedRequest) -> HttpResponse:
    places = selectors.with_in_use(selectors.list_places(clinic_of(request)))
    return render(request, "staff/setup/places.html", {"places": places})


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def place_add(request: AuthenticatedRequest) -> HttpResponse:
    clinic = clinic_of(request)
    form = PlaceForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            place = add_place(
                actor=request.user, clinic=clinic, details=form.details(), request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": place.name})
            return redirect("staff:setup-places")
    return render(request, "staff/setup/place_form.html", {"form": form, "place": None})


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def place_change(request: AuthenticatedRequest, place_id: int) -> HttpResponse:
    clinic = clinic_of(request)
    place = selectors.get_place(clinic, place_id)
    initial = {name: getattr(place, name) for name in PlaceForm.base_fields}
    form = PlaceForm(request.POST or None, clinic=clinic, place=place, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change_place(actor=request.user, place=place, details=form.details(), request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:setup-places")
    return render(request, "staff/setup/place_form.html", {"form": form, "place": place})


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def place_remove(request: AuthenticatedRequest, place_id: int) -> HttpResponse:
    """Ask, then remove a place nobody is booked or working at; say plainly why not else."""
    place = selectors.get_place(clinic_of(request), place_id)
    refusal = ""
    if request.method == "POST":
        try:
            remove_place(actor=request.user, place=place, request=request)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("“%(name)s” is removed.") % {"name": place.name})
            return redirect("staff:setup-places")
    context = {"place": place, "refusal": refusal}
    return render(request, "staff/setup/place_remove.html", context)
