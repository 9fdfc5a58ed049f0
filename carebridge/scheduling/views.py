"""The patient's appointments page (read-only: booking and changes come later).

The view is thin: `access_appointments` finds the patient whose appointments the viewer may see
(or 404s) and audits the view; a selector reads them; the page is rendered with times in the
clinic's time zone, which it names.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from carebridge.core.http import AuthenticatedRequest
from carebridge.records.selectors.wording import clinic_zone
from carebridge.scheduling.access import access_appointments
from carebridge.scheduling.selectors import list_appointments


@login_required
@require_safe
def appointments(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_appointments(request)
    listing = list_appointments(
        patient,
        hides_sensitive=request.acting.hides_sensitive,
        page_number=request.GET.get("page"),
        now=timezone.now(),
    )
    zone = clinic_zone(patient)
    context = {"listing": listing, "clinic": patient.clinic, "time_zone": zone.key}
    with timezone.override(zone):
        return render(request, "scheduling/appointments.html", context)
