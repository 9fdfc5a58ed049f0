"""Authorisation-matrix rows for this area (the matrix test collects them).

The record's sections: each patient sees their own record's pages; staff and a signed-in visitor
with no record get 404. A visit or document id is Pat's, so Sam (another patient) gets 404.
"""

from __future__ import annotations

from django.urls import reverse

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url
from carebridge.testing.personas import Cast
from carebridge.testing.sample_record import SampleRecord

OWN_RECORD_PAGE = expectations(NOT_FOUND, patients=OK)
PATS_RESOURCE = expectations(NOT_FOUND, patient=OK)

LIST_PAGES = (
    "records:medications",
    "records:allergies",
    "records:immunizations",
    "records:problems",
    "records:procedures",
    "records:visits",
    "records:documents",
    "records:care-team",
    "records:care-plans",
)


def _record(cast: Cast) -> SampleRecord:
    assert cast.record is not None
    return cast.record


def pats_visit(cast: Cast) -> str:
    return reverse("records:visit-detail", args=[_record(cast).encounter.pk])


def pats_document(cast: Cast) -> str:
    return reverse("records:document-detail", args=[_record(cast).note.pk])


ROUTES: list[Route] = [
    *(Route(name, url(name), OWN_RECORD_PAGE) for name in LIST_PAGES),
    Route("records:visit-detail", pats_visit, PATS_RESOURCE),
    Route("records:document-detail", pats_document, PATS_RESOURCE),
]
