"""Opening a patient's chart in the console: who may, and as whom the record's pages then run.

The chart is the record's own pages (`records.views`), called as they are; only the acting
context and the frame of their links change. The records access functions then check and audit
every page as they do for the patient, with `acting_as = "staff"`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpResponse, HttpResponseBase
from django.urls import reverse

from carebridge.audit.models import AuditOutcome
from carebridge.audit.services import record_view
from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.proxies.acting import RECORD_PARTS, ActingContext, Relationship
from carebridge.records.links import RecordLinks, RecordOwner, links_into
from carebridge.staff.access import staff_required
from carebridge.staff.chart import selectors

RecordView = Callable[..., HttpResponse]
# Staff read the whole record, sensitive parts included, but take nothing out of the portal:
# no download, print or share (those pages are not in the chart at all).
CHART_PARTS = frozenset(RECORD_PARTS) - {"download"}
CHART_NAMESPACE = "staff:chart-"


def chart_page(view: RecordView) -> Callable[..., HttpResponseBase]:
    """The record page `view` as a page of the chart of the patient named in the address.

    Only for clinicians and nurses (`clinic.view_chart`) of the patient's own clinic; anyone
    else gets 404. A clinician's attempt at another clinic's patient is recorded as a denied
    view of that patient's chart. The record's access functions audit the page itself.
    """

    @staff_required("view_chart")
    @wraps(view)
    def chart_view(
        request: AuthenticatedRequest, patient_id: uuid.UUID, **kwargs: Any
    ) -> HttpResponse:
        patient = access_chart_patient(request, patient_id)
        request.acting = _chart_acting(request, patient)
        with links_into(chart_links(patient)):
            return view(request, **kwargs)

    return chart_view


def access_chart_patient(request: AuthenticatedRequest, patient_id: uuid.UUID) -> Patient:
    """The patient of the viewer's clinic whose chart is asked for, else 404.

    Audit rule: an id of another clinic's patient is recorded as a denied view of that
    patient's chart (object type "patient_chart"), so a probe shows in the audit report; an id
    that does not exist is recorded as denied with no patient.
    """
    staff = request.acting.staff
    assert staff is not None
    try:
        return selectors.get_clinic_patient(clinic=staff.clinic, patient_id=patient_id)
    except Http404:
        other = selectors.find_patient(patient_id)
        outcome = AuditOutcome.DENIED
        record_view(
            request, other, object_type="patient_chart", object_id=patient_id, outcome=outcome
        )
        raise


def chart_links(patient: Patient) -> RecordLinks:
    """Where the record's links lead in this patient's chart, and the banner's facts."""
    owner = RecordOwner(
        name=patient.display_name,
        birth_date=patient.birth_date,
        mrn=patient.mrn,
        back_url=reverse("staff:patient", args=[patient.pk]),
    )
    return RecordLinks(namespace=CHART_NAMESPACE, leading=(str(patient.pk),), owner=owner)


def _chart_acting(request: AuthenticatedRequest, patient: Patient) -> ActingContext:
    return ActingContext(
        user=request.user,
        patient=patient,
        relationship=Relationship.STAFF,
        staff=request.acting.staff,
        record_parts=CHART_PARTS,
        hides_sensitive=False,
    )
