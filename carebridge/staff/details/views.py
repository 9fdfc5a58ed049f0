"""The front desk's review of address changes: the clinic's waiting changes (oldest first) and
one change beside the address on file, accepted or declined with a note.

Permission `billing.review_insurance` (front desk and clinic administrators, who already check
the insurance changes patients send from check-in); a change of another clinic is a 404 like a
missing one. Every patient a page shows is audited: the list with `record_list_view`, a change
as a view of "details_change" for its patient.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.audit.services import record_view
from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import DetailsChange, DetailsChangeStatus
from carebridge.patients.selectors import get_clinic_change, list_waiting_changes
from carebridge.patients.services.desk import (
    REVIEW_PERMISSION,
    accept_details_change,
    decline_details_change,
)
from carebridge.staff.access import staff_required
from carebridge.staff.insurance.forms import ACCEPT, DECLINE, DeclineForm
from carebridge.staff.review_queue import render_review_list, reviewer_clinic


@staff_required(REVIEW_PERMISSION)
@require_safe
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's address changes waiting for the front desk, oldest first."""
    return render_review_list(
        request,
        list_waiting_changes(reviewer_clinic(request)),
        object_type="details_review_list",
        template="staff/details/review_list.html",
    )


@staff_required(REVIEW_PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: AuthenticatedRequest, change_id: uuid.UUID) -> HttpResponse:
    """One change beside the address on file; accept it or decline it with a note."""
    change = get_clinic_change(reviewer_clinic(request), change_id)
    action = request.POST.get("action") if request.method == "POST" else None
    decline_form = DeclineForm(request.POST if action == DECLINE else None)
    if action in (ACCEPT, DECLINE) and _answer(request, change, action, decline_form):
        return redirect("staff:details-review-list")
    record_view(request, change.patient, object_type="details_change", object_id=change.pk)
    context = {
        "change": change,
        "is_waiting": change.status == DetailsChangeStatus.PENDING,
        "decline_form": decline_form,
    }
    return render(request, "staff/details/review.html", context)


def _answer(
    request: AuthenticatedRequest, change: DetailsChange, action: str, form: DeclineForm
) -> bool:
    """Accept, or decline when the note is valid; False (errors on the form) if not."""
    actor = Actor.from_request(request)
    try:
        if action == ACCEPT:
            accept_details_change(actor=actor, change=change)
            messages.success(request, _("The new address is accepted and now on the record."))
            return True
        if not form.is_valid():
            return False
        decline_details_change(actor=actor, change=change, note=form.cleaned_data["note"])
        messages.success(request, _("The change is declined. The patient will see your note."))
    except ValidationError as refusal:
        form.add_error(None, refusal)
        return False
    return True
