"""The billing summary: what the patient owes, what is due and by when, and each statement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from carebridge.billing.access import access_billing
from carebridge.billing.selectors.summary import get_billing_summary
from carebridge.billing.views.pages import render_billing
from carebridge.core.http import AuthenticatedRequest


@login_required
@require_safe
def summary(request: AuthenticatedRequest) -> HttpResponse:
    """The patient's bills, for them or a caregiver or parent with the billing scope; 404 for
    anyone else (audited as denied for a proxy without the scope)."""
    patient = access_billing(request)
    billing = get_billing_summary(patient, today=timezone.localdate())
    return render_billing(request, patient, "billing/summary.html", {"billing": billing})
