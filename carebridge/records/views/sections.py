"""The record's sections: medications, allergies, immunizations, problems, procedures, visits,
documents, care team, and goals and care plans.

Every view is thin: `access_record` or `access_resource` finds the record as the viewer may see
it (or one of its resources), 404s a part of the record they may not see, and audits the view;
a selector reads within that scope, and the page is rendered with dates in the patient's
clinic's time zone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.core.http import AuthenticatedRequest
from carebridge.records.access import access_record, access_resource
from carebridge.records.models import ResourceType
from carebridge.records.scope import RecordScope
from carebridge.records.selectors import care, sections
from carebridge.records.selectors import documents as document_selectors
from carebridge.records.selectors import visits as visit_selectors
from carebridge.records.selectors.wording import clinic_zone


def _render(
    request: AuthenticatedRequest, template: str, scope: RecordScope, context: dict[str, Any]
) -> HttpResponse:
    """Render a section page with times in the clinic's time zone, which the page names."""
    zone = clinic_zone(scope.patient)
    context = {"time_zone": zone.key, **context}
    with timezone.override(zone):
        return render(request, f"records/sections/{template}", context)


def _page_number(request: AuthenticatedRequest) -> str | None:
    return request.GET.get("page")


def _section(
    request: AuthenticatedRequest,
    object_type: str,
    name: str,
    read: Callable[[RecordScope], object],
) -> HttpResponse:
    """A list page: the viewer's record (audited as `object_type`, which also names the part of
    the record and the template), read, rendered as `name`."""
    scope = access_record(request, object_type=object_type, part=object_type)
    return _render(request, f"{object_type}.html", scope, {name: read(scope)})


def _paged(
    request: AuthenticatedRequest, read: Callable[[RecordScope, str | None], object]
) -> Callable[[RecordScope], object]:
    """`read` for the page of the list the request asks for."""
    return lambda scope: read(scope, _page_number(request))


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
    scope, encounter = access_resource(
        request,
        resource_id,
        resource_types=(ResourceType.ENCOUNTER,),
        object_type="visit",
        part="visits",
    )
    visit = visit_selectors.get_visit(scope, encounter)
    return _render(request, "visit_detail.html", scope, {"visit": visit})


@login_required
def documents(request: AuthenticatedRequest) -> HttpResponse:
    read = _paged(request, document_selectors.list_documents)
    return _section(request, "documents", "listing", read)


@login_required
def document_detail(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    scope, row = access_resource(
        request,
        resource_id,
        resource_types=(ResourceType.DOCUMENT_REFERENCE,),
        object_type="document",
        part="documents",
    )
    document = document_selectors.get_document(scope, row)
    return _render(request, "document_detail.html", scope, {"document": document})


@login_required
def care_team(request: AuthenticatedRequest) -> HttpResponse:
    return _section(request, "care_team", "team", care.get_care_team)


@login_required
def care_plans(request: AuthenticatedRequest) -> HttpResponse:
    scope = access_record(request, object_type="care_plans", part="care_plans")
    goals = care.list_goals(scope)
    plans = care.list_care_plans(scope, _page_number(request))
    return _render(request, "care_plans.html", scope, {"goals": goals, "plans": plans})
