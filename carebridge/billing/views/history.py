"""The account history: every charge, payment, refund and adjustment, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from carebridge.billing.access import access_billing
from carebridge.billing.selectors.history import list_history
from carebridge.billing.views.pages import render_billing
from carebridge.core.http import AuthenticatedRequest


@login_required
@require_safe
def history(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_billing(request, object_type="billing_history")
    page = list_history(patient, request.GET.get("page"))
    return render_billing(request, patient, "billing/history.html", {"page": page})
