"""The billing office sets up or stops a patient's payment plan, with the same choices the
patient has (the clinic's rules). Permission `billing.manage_billing`; a patient of another
clinic is a 404 like a missing one. Each page is audited as a view of the patient's plan; the
services audit each change.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.audit.services import record_view
from carebridge.billing.services.plans import (
    PLAN_OBJECT,
    active_plan,
    cancel_plan,
)
from carebridge.billing.views.plans import schedule_context, set_up_plan
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.staff.access import staff_required
from carebridge.staff.proxy_selectors import get_clinic_patient

CANCEL = "cancel"


@staff_required("billing.manage_billing")
@require_http_methods(["GET", "HEAD", "POST"])
def billing_plan(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The patient's active plan (and Stop plan), or the choices and Set up plan."""
    staff = request.acting.staff
    assert staff is not None
    patient = get_clinic_patient(clinic=staff.clinic, patient_id=patient_id)
    actor = Actor.from_request(request)
    current = active_plan(patient)
    if current is not None and request.POST.get("action") == CANCEL:
        try:
            cancel_plan(actor=actor, plan=current)
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
        else:
            messages.success(request, _("The payment plan is stopped. The balance is still owed."))
        return redirect("staff:billing-plan", patient.pk)
    _audit_view(request, patient)
    context: dict[str, Any] = {"patient": patient}
    if current is not None:
        return render(request, "staff/billing_plan.html", context | schedule_context(current))
    plan_context, is_set_up = set_up_plan(request, actor, patient)
    if is_set_up:
        messages.success(request, _("The payment plan is set up."))
        return redirect("staff:billing-plan", patient.pk)
    return render(request, "staff/billing_plan.html", context | plan_context)


def _audit_view(request: AuthenticatedRequest, patient: Patient) -> None:
    record_view(request, patient, object_type=PLAN_OBJECT)
