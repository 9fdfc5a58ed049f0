"""The patient's insurance: what is on file, a change waiting for the clinic, a declined one
with the clinic's note; sending new details with photos of the card, or choosing to pay
themself; and the card photos.

Through `access_billing` (the billing scope): the patient, and caregivers and parents with the
billing scope, see and update; everyone else gets 404 and a refused request changes nothing.
Every page and photo is audited. Card photos are served privately and never cached.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.billing.access import access_billing, billing_patient_or_none, record_billing_view
from carebridge.billing.insurance_forms import InsuranceForm
from carebridge.billing.models import InsuranceCoverage
from carebridge.billing.services.insurance import (
    INSURANCE_OBJECT,
    card_path,
    choose_self_pay,
    insurance_summary,
    submit_coverage,
)
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest

SELF_PAY = "self_pay"
CARD_OBJECT = "insurance_card"


@login_required
@require_safe
def insurance(request: AuthenticatedRequest) -> HttpResponse:
    """The insurance in use, a change waiting for review, and a declined change's note."""
    patient = access_billing(request, object_type=INSURANCE_OBJECT)
    return render(request, "billing/insurance.html", {"summary": insurance_summary(patient)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def insurance_update(request: AuthenticatedRequest) -> HttpResponse:
    """Send new insurance details with card photos, or say there is no insurance."""
    patient = access_billing(request, object_type=INSURANCE_OBJECT)
    actor = Actor.from_request(request)
    if request.method == "POST" and request.POST.get("action") == SELF_PAY:
        choose_self_pay(actor=actor, patient=patient)
        messages.success(request, _("Thank you. The clinic will check the change."))
        return redirect("billing:insurance")
    form = InsuranceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_coverage(
                actor=actor,
                patient=patient,
                fields=form.coverage_fields(),
                front_photo=form.photo("card_front"),
                back_photo=form.photo("card_back"),
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            messages.success(request, _("Thank you. The clinic will check the new insurance."))
            return redirect("billing:insurance")
    return render(request, "billing/insurance_update.html", {"form": form})


@login_required
@require_safe
def insurance_card(
    request: AuthenticatedRequest, coverage_id: uuid.UUID, side: str
) -> HttpResponseBase:
    """One side of a card photo of the patient's, audited; 404 when missing or not theirs."""
    patient = billing_patient_or_none(request, object_type=CARD_OBJECT)
    if patient is None:
        raise Http404
    coverage = InsuranceCoverage.objects.filter(pk=coverage_id, patient=patient).first()
    response = card_response(coverage, side)
    record_billing_view(request, patient, object_type=CARD_OBJECT, object_id=coverage_id)
    return response


def card_response(coverage: InsuranceCoverage | None, side: str) -> HttpResponseBase:
    """The photo, shown in the page and never cached; 404 when there is none."""
    path = card_path(coverage, side) if coverage is not None else None
    if path is None:
        raise Http404
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "image/png" if path.suffix == ".png" else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
