"""The health summary: problems, medicines, allergies, immunizations, vitals and results."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from carebridge.core.http import AuthenticatedRequest
from carebridge.records.access import access_record
from carebridge.records.selectors.summary import get_health_summary
from carebridge.records.selectors.wording import clinic_zone


@login_required
def health_summary(request: AuthenticatedRequest) -> HttpResponse:
    """The record at a glance, each block linking to its full page (audited as one view)."""
    scope = access_record(request, object_type="record_summary", part="summary")
    summary = get_health_summary(scope, zone=clinic_zone(scope.patient))
    return render(request, "records/summary.html", {"summary": summary})
