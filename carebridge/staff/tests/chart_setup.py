"""The chart's pages, for the chart's tests, the audit walk and the authorisation matrix.

Each page is named after "staff:chart-"; a detail page shows one of Pat's sample resources.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from carebridge.records.models import ClinicalResource
from carebridge.testing.personas import Cast
from carebridge.testing.sample_record import SampleRecord

# The chart's pages about the whole record.
LIST_PAGES = (
    "summary",
    "results",
    "vitals",
    "medications",
    "allergies",
    "immunizations",
    "problems",
    "procedures",
    "visits",
    "documents",
    "care-team",
    "care-plans",
)
# The chart's pages about one resource, and which of Pat's sample resources each shows.
DETAIL_PAGES: dict[str, Callable[[SampleRecord], ClinicalResource]] = {
    "result-detail": lambda record: record.hba1c,
    "report-detail": lambda record: record.report,
    "test-trend": lambda record: record.hba1c,
    "visit-detail": lambda record: record.encounter,
    "document-detail": lambda record: record.note,
}


def chart_url(cast: Cast, name: str, patient_id: object = None) -> str:
    """The address of the chart page `name` for Pat (or the patient `patient_id`), showing
    Pat's sample resource when it is a detail page."""
    patient = patient_id if patient_id is not None else cast.patient.pk
    if name not in DETAIL_PAGES:
        return reverse(f"staff:chart-{name}", args=[patient])
    assert cast.record is not None
    resource = DETAIL_PAGES[name](cast.record)
    return reverse(f"staff:chart-{name}", args=[patient, resource.pk])


def all_chart_urls(cast: Cast, patient_id: object = None) -> dict[str, str]:
    """Every chart page's address, by name."""
    return {name: chart_url(cast, name, patient_id) for name in (*LIST_PAGES, *DETAIL_PAGES)}
