"""What the patient's billing pages share: rendering in the clinic's time zone, with whose
bills they are and the clinic."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.records.selectors.wording import clinic_zone


def render_billing(
    request: AuthenticatedRequest, patient: Patient, template: str, context: dict[str, Any]
) -> HttpResponse:
    """Render a billing page with `patient` and `clinic`, times in the clinic's zone."""
    zone = clinic_zone(patient)
    context = context | {"patient": patient, "clinic": patient.clinic, "time_zone": zone.key}
    with timezone.override(zone):
        return render(request, template, context)
