"""Authorisation-matrix rows for this area (the matrix test collects them).

The record's sections: each patient sees their own record's pages; staff and a signed-in visitor
with no record get 404. A visit or document id is Pat's, so Sam (another patient) gets 404.
"""

from __future__ import annotations

from django.urls import reverse

from carebridge.testing.matrix import PATS_RESOURCE, Route, own_record, url
from carebridge.testing.personas import Cast
from carebridge.testing.sample_record import SampleRecord

# Each list page, and the part of the record it shows.
LIST_PAGES = (
    ("records:medications", "medications"),
    ("records:allergies", "allergies"),
    ("records:immunizations", "immunizations"),
    ("records:problems", "problems"),
    ("records:procedures", "procedures"),
    ("records:visits", "visits"),
    ("records:documents", "documents"),
    ("records:care-team", "care_team"),
    ("records:care-plans", "care_plans"),
)


def _record(cast: Cast) -> SampleRecord:
    assert cast.record is not None
    return cast.record


def pats_visit(cast: Cast) -> str:
    return reverse("records:visit-detail", args=[_record(cast).encounter.pk])


def pats_document(cast: Cast) -> str:
    return reverse("records:document-detail", args=[_record(cast).note.pk])


ROUTES: list[Route] = [
    *(Route(name, url(name), own_record(part)) for name, part in LIST_PAGES),
    Route("records:visit-detail", pats_visit, PATS_RESOURCE),
    Route("records:document-detail", pats_document, PATS_RESOURCE),
]
