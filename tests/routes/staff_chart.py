"""Authorisation-matrix rows for the patient in the console: the patient's page and the chart.

The patient's page (details and appointments, no clinical data) is for every member of Pat's
clinic; the chart's pages (the record's own pages, read-only) only for the clinician and the
nurse, who hold `clinic.view_chart`. The front desk, billing and the clinic administrator get
404 there; the other clinic's administrator gets 404 for Pat everywhere; patients, caregivers
and parents get the console's 404. Detail pages show Pat's sample record.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from carebridge.staff.tests.chart_setup import DETAIL_PAGES, LIST_PAGES, chart_url
from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations
from carebridge.testing.personas import Cast

PATIENT_PAGE = expectations(
    NOT_FOUND, clinician=OK, nurse=OK, front_desk=OK, billing=OK, clinic_admin=OK
)
CHART_PAGE = expectations(NOT_FOUND, clinician=OK, nurse=OK)


def _chart(name: str) -> Callable[[Cast], str]:
    return lambda cast: chart_url(cast, name)


ROUTES: list[Route] = [
    Route(
        "staff:patient", lambda cast: reverse("staff:patient", args=[cast.patient.pk]), PATIENT_PAGE
    ),
    *(
        Route(f"staff:chart-{name}", _chart(name), CHART_PAGE)
        for name in (*LIST_PAGES, *DETAIL_PAGES)
    ),
]
