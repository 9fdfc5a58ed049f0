"""What the front desk's review queues share (insurance changes from check-in, address changes
from My details): the viewer's clinic, and a page of waiting changes, oldest first, with every
patient shown audited as one list view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render

from carebridge.audit.services import record_list_view
from carebridge.clinic.models import Clinic
from carebridge.core.http import AuthenticatedRequest

PER_PAGE = 50


def reviewer_clinic(request: AuthenticatedRequest) -> Clinic:
    """The clinic of the member of staff reviewing (`staff_required` has checked they are)."""
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


def render_review_list(
    request: AuthenticatedRequest,
    waiting: QuerySet[Any] | Sequence[Any],
    *,
    object_type: str,
    template: str,
) -> HttpResponse:
    """One page of `waiting` changes (each with its `patient`), audited, rendered as `page`."""
    page = Paginator(waiting, PER_PAGE).get_page(request.GET.get("page"))
    record_list_view(
        actor=request.user,
        patients=[row.patient for row in page.object_list],
        object_type=object_type,
        request=request,
    )
    return render(request, template, {"page": page})
