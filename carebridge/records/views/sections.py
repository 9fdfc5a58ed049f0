"""The record's sections: medications, allergies, immunizations, problems, procedures, visits,
documents, care team, and goals and care plans.

Every view is thin: `access_record` or `access_resource` finds the viewer's patient (or one of
their resources) and audits the view, a selector reads, and the page is rendered with dates in
the patient's clinic's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
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


def _section(
    request: AuthenticatedRequest,
    object_type: str,
    name: str,
    read: Callable[[Patient], object],
) -> HttpResponse:
    """A list page: the viewer's patient (audited as `object_type`), read, rendered as `name`
    in the template named after the object type."""
    patient = access_record(request, object_type=object_type)
    return _render(request, f"{object_type}.html", patient, {name: read(patient)})


def _paged(
    request: AuthenticatedRequest, read: Callable[[Patient, str | None], object]
) -> Callable[[Patient], object]:
    """`read` for the page of the list the request asks for."""
    return lambda patient: read(patient, _page_number(request))


@login_required
def medications(request: AuthenticatedRequest) -> HttpResponse:
    return _section(request, "medications", "lists", sections.list_medications)


@login_required
def allergies(request: AuthenticatedRequest) -> HttpResponse:
    return _section(request, "allergies", "lists", sections.list_allergies)


@login_required
def immunizations(request: AuthenticatedRequest) -> HttpResponse:
    return _section(request, "immunizations", "groups", sections.list_immunizations)


@login_required
def problems(request: AuthenticatedRequest) -> HttpResponse:
    return _section(request, "problems", "lists", sections.list_problems)


@login_required
def procedures(request: AuthenticatedRequest) -> HttpResponse:
    return _section(request, "procedures", "listing", _paged(request, sections.list_procedures))


@login_required
def visits(request: AuthenticatedRequest) -> HttpResponse:
    return _section(request, "visits", "listing", _paged(request, visit_selectors.list_visits))


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
    read = _paged(request, document_selectors.list_documents)
    return _section(request, "documents", "listing", read)


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
    return _section(request, "care_team", "team", care.get_care_team)


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
