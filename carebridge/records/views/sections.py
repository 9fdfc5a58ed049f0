"""The record's sections: medications, allergies, immunizations, problems, procedures, visits,
documents, care team, and goals and care plans.

Every view is thin: `access_record` or `access_resource` finds the viewer's patient (or one of
their resources) and audits the view, a selector reads, and the page is rendered with dates in
the patient's clinic's time zone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.core.http import AuthenticatedRequest
from carebridge.patients.models import Patient
from carebridge.records.access import access_record, access_resource
from carebridge.records.models import ResourceType
from carebridge.records.selectors import care, sections
from carebridge.records.selectors import documents as document_selectors
from carebridge.records.selectors import visits as visit_selectors
from carebridge.records.selectors.wording import clinic_zone


def _render(
    request: AuthenticatedRequest, template: str, patient: Patient, context: dict[str, Any]
) -> HttpResponse:
    """Render a section page with times in the clinic's time zone, which the page names."""
    zone = clinic_zone(patient)
    context = {"time_zone": zone.key, **context}
    with timezone.override(zone):
        return render(request, f"records/sections/{template}", context)


def _page_number(request: AuthenticatedRequest) -> str | None:
    return request.GET.get("page")


@login_required
def medications(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="medications")
    lists = sections.list_medications(patient)
    return _render(request, "medications.html", patient, {"lists": lists})


@login_required
def allergies(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="allergies")
    lists = sections.list_allergies(patient)
    return _render(request, "allergies.html", patient, {"lists": lists})


@login_required
def immunizations(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="immunizations")
    groups = sections.list_immunizations(patient)
    return _render(request, "immunizations.html", patient, {"groups": groups})


@login_required
def problems(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="problems")
    lists = sections.list_problems(patient)
    return _render(request, "problems.html", patient, {"lists": lists})


@login_required
def procedures(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="procedures")
    listing = sections.list_procedures(patient, _page_number(request))
    return _render(request, "procedures.html", patient, {"listing": listing})


@login_required
def visits(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="visits")
    listing = visit_selectors.list_visits(patient, _page_number(request))
    return _render(request, "visits.html", patient, {"listing": listing})


@login_required
def visit_detail(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    encounter = access_resource(
        request, resource_id, resource_types=(ResourceType.ENCOUNTER,), object_type="visit"
    )
    patient = _patient(request)
    visit = visit_selectors.get_visit(patient, encounter)
    return _render(request, "visit_detail.html", patient, {"visit": visit})


@login_required
def documents(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="documents")
    listing = document_selectors.list_documents(patient, _page_number(request))
    return _render(request, "documents.html", patient, {"listing": listing})


@login_required
def document_detail(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    row = access_resource(
        request,
        resource_id,
        resource_types=(ResourceType.DOCUMENT_REFERENCE,),
        object_type="document",
    )
    patient = _patient(request)
    document = document_selectors.get_document(patient, row)
    return _render(request, "document_detail.html", patient, {"document": document})


@login_required
def care_team(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="care_team")
    team = care.get_care_team(patient)
    return _render(request, "care_team.html", patient, {"team": team})


@login_required
def care_plans(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_record(request, object_type="care_plans")
    goals = care.list_goals(patient)
    plans = care.list_care_plans(patient, _page_number(request))
    return _render(request, "care_plans.html", patient, {"goals": goals, "plans": plans})


def _patient(request: AuthenticatedRequest) -> Patient:
    # `access_resource` has already raised 404 for a viewer with no patient record.
    patient = request.acting.patient
    assert patient is not None
    return patient
