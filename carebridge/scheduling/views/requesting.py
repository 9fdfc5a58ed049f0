"""Asking the clinic for a kind of visit that cannot be booked online (the clinic answers
later). The reason and preferred times travel only in the POST body, never in an address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.core.http import AuthenticatedRequest
from carebridge.scheduling.access import access_appointments
from carebridge.scheduling.forms import RequestForm
from carebridge.scheduling.services import request_appointment
from carebridge.scheduling.views.booking import bookable_types


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_visit(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_appointments(request)
    ask_only = bookable_types(patient).ask_only
    if request.method == "POST":
        form = RequestForm(request.POST, visit_types=ask_only)
    else:
        form = RequestForm(initial={"visit_type": request.GET.get("type")}, visit_types=ask_only)
    if form.is_valid():
        try:
            request_appointment(
                actor=request.user,
                acting_as=request.acting.relationship.value,
                patient=patient,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(
                request, _("Your request is sent. The clinic will reply by e-mail or phone.")
            )
            return redirect("scheduling:appointments")
    context = {"form": form, "clinic": patient.clinic}
    return render(request, "scheduling/request.html", context)
