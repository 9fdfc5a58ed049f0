"""Online check-in for an appointment the clinic booked in its own system: the same page of
contact details, insurance, allergies and medicines as for one booked here, without the visit
questions (the EHR gives none); the expected copay is the coverage's.

Access is exactly the appointment's page's (`access_clinic_appointment`: 404 for another
patient's or a missing one, a caregiver or parent needs the appointments scope and never
reaches one labelled sensitive), audited. What is typed travels only in the POST body.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.scheduling.access import access_clinic_appointment
from carebridge.scheduling.checkin_forms import REVIEWED_PARTS, CheckInForm
from carebridge.scheduling.ehr_selectors import get_clinic_appointment
from carebridge.scheduling.models import CheckIn, CheckInAnswers, ClinicCheckIn
from carebridge.scheduling.services.checkin import check_may_check_in, expected_copay_words
from carebridge.scheduling.services.clinic_checkin import (
    check_in_clinic_appointment,
    clinic_target,
)
from carebridge.scheduling.views.checkin import form_initial, may_change_contact, record_lists
from carebridge.scheduling.views.clinic_booked import PAGE, page_context, render_in_zone


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def clinic_appointment_check_in(request: AuthenticatedRequest, api_id: uuid.UUID) -> HttpResponse:
    patient, resource = access_clinic_appointment(request, api_id)
    shown = get_clinic_appointment(patient, resource)
    try:
        check_may_check_in(clinic_target(patient, resource), timezone.now())
    except ValidationError as refusal:
        context = page_context(patient, shown) | {"refusal": refusal.messages[0]}
        return render_in_zone(request, patient, "scheduling/clinic_checkin_closed.html", context)
    parts = tuple(part for part in REVIEWED_PARTS if request.acting.may_see_part(part))
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        initial=initial_values(patient, resource),
        questions=[],
        reviewed_parts=parts,
        may_change_contact=may_change_contact(request),
    )
    if form.is_valid() and save(request, patient, resource, form):
        messages.success(request, _("You are checked in. Thank you."))
        return redirect(PAGE, shown.api_id)
    context = page_context(patient, shown) | form_context(request, patient, form, parts)
    return render_in_zone(request, patient, "scheduling/clinic_checkin.html", context)


def save(
    request: AuthenticatedRequest, patient: Patient, resource: ClinicalResource, form: CheckInForm
) -> bool:
    """Check in; False, with the refusal on the form, when the service refuses."""
    try:
        check_in_clinic_appointment(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            patient=patient,
            resource=resource,
            now=timezone.now(),
            data=form.to_data(),
            request=request,
        )
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return False
    return True


def form_context(
    request: AuthenticatedRequest,
    patient: Patient,
    form: CheckInForm,
    parts: tuple[str, ...],
) -> dict[str, Any]:
    return {
        "form": form,
        "email": patient.notice_address,
        "copay": expected_copay_words(patient, None),
        "shows_allergies": "allergies" in parts,
        "shows_medications": "medications" in parts,
        **record_lists(request, parts),
    }


def initial_values(patient: Patient, resource: ClinicalResource) -> dict[str, Any]:
    """The patient's contact details with this appointment's saved check-in, or the insurance
    on file, or that of the patient's latest check-in of either kind (at most four queries)."""
    saved = ClinicCheckIn.objects.filter(resource=resource).first()

    def earlier() -> CheckInAnswers | None:
        here = CheckIn.objects.filter(appointment__patient=patient)
        clinic = ClinicCheckIn.objects.filter(resource__patient=patient).exclude(resource=resource)
        latest = (rows.order_by("-completed_at").first() for rows in (here, clinic))
        return max(filter(None, latest), key=lambda row: row.completed_at, default=None)

    return form_initial(patient, saved, [], earlier)
