"""The patient's page in the console: who they are, their appointments, and what the viewer's
role may do for them next (open the chart, the billing account, access, invitation, booking).

Every active member of the patient's clinic may open it; it shows no clinical data, so the
front desk, billing and clinic administrators use it too. The chart's pages are the record's
own views, wrapped in `access.chart_page` (see `urls`).
"""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.audit.services import record_view
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.proxies.rules import clinic_today
from carebridge.staff.access import staff_required
from carebridge.staff.chart import selectors


@staff_required("use_staff_console")
@require_http_methods(["GET", "HEAD"])
def patient_overview(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The patient's demographics and appointments.

    Audit rule: one view of "patient_overview" for the patient, as staff; another clinic's
    patient is a 404 with nothing recorded.
    """
    staff = request.acting.staff
    assert staff is not None
    patient = selectors.get_clinic_patient(clinic=staff.clinic, patient_id=patient_id)
    record_view(request, patient, object_type="patient_overview", object_id=patient.pk)
    context = {
        "patient": patient,
        # Counted on the clinic's calendar, as every age rule in the portal is.
        "age": patient.age(clinic_today(patient.clinic)),
        "language": _language_words(patient.preferred_language),
        "appointments": selectors.list_patient_appointments(patient, now=timezone.now()),
        "actions": _actions(request, patient),
        "time_zone": patient.clinic.time_zone,
    }
    with timezone.override(patient.clinic.time_zone):
        return render(request, "staff/chart/patient.html", context)


def _language_words(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def _actions(request: AuthenticatedRequest, patient: Patient) -> list[tuple[str, str]]:
    """What the viewer's role may do for the patient from here: (label, address) pairs."""
    may = request.user.has_perm
    actions = []
    if may("clinic.view_chart"):
        actions.append((_("Open the chart"), reverse("staff:chart-summary", args=[patient.pk])))
    if patient.user_id is not None:
        # Any member of the console may write from one of their care teams; the page says so
        # plainly to someone who is on none.
        message = reverse("staff:patient-message", args=[patient.pk])
        actions.append((_("Send a message"), message))
    if may("scheduling.manage_schedule"):
        book = f"{reverse('staff:schedule-book')}?patient={patient.pk}"
        actions.append((_("Book an appointment"), book))
    if may("billing.manage_billing"):
        account = reverse("staff:billing-account", args=[patient.pk])
        actions.append((_("Billing account"), account))
    if may("proxies.grant_proxy_access"):
        access = reverse("staff:patient-access", args=[patient.pk])
        actions.append((_("Parents and caregivers"), access))
    if may("clinic.invite_patient") and patient.user_id is None:
        invite = reverse("staff:patient-invite", args=[patient.pk])
        actions.append((_("Issue activation code"), invite))
    return actions
