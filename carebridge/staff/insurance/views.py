"""The front desk's insurance review: the clinic's waiting changes (oldest first), one change
with both card photos and the coverage in use, accept or decline with a note.

Permission `billing.review_insurance` (front desk and clinic administrators); a change of
another clinic is a 404 like a missing one. Every patient a page shows is audited: the list
with `record_list_view`, a change and each photo as a view of "insurance" for its patient.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.audit.services import record_view
from carebridge.billing.models import CoverageStatus, InsuranceCoverage
from carebridge.billing.services.insurance import (
    accept_coverage,
    current_coverage,
    decline_coverage,
)
from carebridge.billing.views.insurance import card_response
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.staff.access import staff_required
from carebridge.staff.insurance.forms import ACCEPT, DECLINE, AcceptForm, DeclineForm
from carebridge.staff.insurance.selectors import get_clinic_coverage, list_waiting_changes
from carebridge.staff.review_queue import render_review_list, reviewer_clinic

PERMISSION = "billing.review_insurance"


def _audit_view(
    request: AuthenticatedRequest, object_type: str, coverage: InsuranceCoverage
) -> None:
    record_view(request, coverage.patient, object_type=object_type, object_id=coverage.pk)


@staff_required(PERMISSION)
@require_safe
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's insurance changes waiting for review, oldest first."""
    return render_review_list(
        request,
        list_waiting_changes(reviewer_clinic(request)),
        object_type="insurance_review_list",
        template="staff/insurance/review_list.html",
    )


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: AuthenticatedRequest, coverage_id: uuid.UUID) -> HttpResponse:
    """One change, its photos and the coverage in use; accept or decline it."""
    coverage = get_clinic_coverage(reviewer_clinic(request), coverage_id)
    action = request.POST.get("action") if request.method == "POST" else None
    accept_form = AcceptForm(request.POST if action == ACCEPT else None)
    decline_form = DeclineForm(request.POST if action == DECLINE else None)
    answered = _answer(request, coverage, accept_form if action == ACCEPT else decline_form)
    if answered:
        return redirect("staff:insurance-review-list")
    _audit_view(request, "insurance", coverage)
    context = {
        "coverage": coverage,
        "in_use": current_coverage(coverage.patient),
        "is_waiting": coverage.status == CoverageStatus.PENDING,
        "accept_form": accept_form,
        "decline_form": decline_form,
    }
    return render(request, "staff/insurance/review.html", context)


def _answer(
    request: AuthenticatedRequest,
    coverage: InsuranceCoverage,
    form: AcceptForm | DeclineForm,
) -> bool:
    """Accept or decline when the posted form is valid; False (errors on the form) if not."""
    if not form.is_bound or not form.is_valid():
        return False
    actor = Actor.from_request(request)
    try:
        if isinstance(form, AcceptForm):
            accept_coverage(actor=actor, coverage=coverage, copay_cents=form.copay_cents())
            messages.success(request, _("The insurance is accepted and now in use."))
        else:
            decline_coverage(actor=actor, coverage=coverage, note=form.cleaned_data["note"])
            messages.success(request, _("The change is declined. The patient will see your note."))
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return False
    return True


@staff_required(PERMISSION)
@require_safe
def card(request: AuthenticatedRequest, coverage_id: uuid.UUID, side: str) -> HttpResponseBase:
    """One side of a change's card photo, never cached; audited for its patient."""
    coverage = get_clinic_coverage(reviewer_clinic(request), coverage_id)
    response = card_response(coverage, side)
    _audit_view(request, "insurance_card", coverage)
    return response
