"""What the record pages' tests share: a page's visible text, dates as the pages write them,
section addresses, the newest audit event, and records grown to check query budgets.

The FHIR resources themselves are built with `carebridge.testing.records`.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.testing import factories
from carebridge.testing.records import blood_pressure, document, encounter, glucose, in_visit, store

# The most queries a section page may make, however large the record.
BUDGET = 20
# What a section's empty state adds after "No <things> are recorded here."
EMPTY_RECORD_NOTE = "The clinic may hold records from before it used this portal."


def page_text(response: Any) -> str:
    """The record area's visible text, tags removed and spaces collapsed."""
    assert response.status_code == 200
    html = response.content.decode().split('<div class="record-content">', 1)[1]
    html = html.split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def get(client: Any, name: str, **query: str) -> Any:
    """A section page without arguments (`records:<name>`), with an optional query string."""
    return client.get(reverse(f"records:{name}"), query)


def visit_url(row: ClinicalResource) -> str:
    return reverse("records:visit-detail", args=[row.pk])


def document_url(row: ClinicalResource) -> str:
    return reverse("records:document-detail", args=[row.pk])


def last_event() -> AuditEvent:
    """The newest event in the audit trail."""
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    return event


def queries_for(client: Any, url: str, assert_max_num_queries: Any) -> int:
    """How many queries one successful request for `url` makes (at most `BUDGET`), measured
    after a first request: a change to the record renews what is kept for the viewer
    (`proxies.kept`), and the request after a change works it out again once."""
    assert client.get(url).status_code == 200
    with assert_max_num_queries(BUDGET) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow_visit(patient: Patient, count: int, visit_id: str) -> None:
    """`count` more visits, and `count` more notes and blood pressures at the visit."""
    here = in_visit(visit_id)
    store(
        patient,
        *(encounter(patient, "2015-06-01T15:00:00Z") for _n in range(count)),
        *(document(patient, "text/plain", b"Note", context=here) for _n in range(count)),
        *(
            blood_pressure(patient, systolic=120, diastolic=80, day=datetime.date(2025, 1, 1))
            | here
            for _n in range(count)
        ),
    )


def visit_page_queries(
    cast_with_records: Any, client: Any, assert_max_num_queries: Any, name: str
) -> tuple[int, int]:
    """The queries of a visit or document page (list or detail) for Pat's sample record grown
    by 5, then by 300, resources of each kind around her visit."""
    record = cast_with_records.record
    args = {"visit-detail": [record.encounter.pk], "document-detail": [record.note.pk]}
    url = reverse(f"records:{name}", args=args.get(name, []))
    _grow_visit(cast_with_records.patient, 5, record.encounter.fhir_id)
    # The session's first request records the sign-in session; measure from the second.
    client.get(url)
    small = queries_for(client, url, assert_max_num_queries)
    _grow_visit(cast_with_records.patient, 295, record.encounter.fhir_id)
    return small, queries_for(client, url, assert_max_num_queries)


def patient_with_glucose(clinic: Clinic, count: int, **fields: Any) -> Patient:
    """A new patient of the clinic with `count` glucose results, one a day up to 2026-01-01."""
    patient = factories.make_patient(clinic, **fields)
    last = datetime.date(2026, 1, 1)
    readings = [glucose(patient, last - datetime.timedelta(days=n)) for n in range(count)]
    store(patient, *readings)
    return patient
