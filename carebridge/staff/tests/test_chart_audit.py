"""Every page of the chart and the patient's page is audited as a view by staff, and the patient
sees it in Account activity in plain words.

Cast: Casey (clinician) reads Pat's chart; Fran (front desk) opens Pat's page.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.staff.tests.chart_setup import DETAIL_PAGES, all_chart_urls
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

# The object type each chart page is recorded as (the same as the patient's own pages).
OBJECT_TYPES = {
    "summary": "record_summary",
    "results": "results",
    "vitals": "vitals",
    "medications": "medications",
    "allergies": "allergies",
    "immunizations": "immunizations",
    "problems": "problems",
    "procedures": "procedures",
    "visits": "visits",
    "documents": "documents",
    "care-team": "care_team",
    "care-plans": "care_plans",
    "result-detail": "result",
    "report-detail": "result",
    "test-trend": "result",
    "visit-detail": "visit",
    "document-detail": "document",
}


def _last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last is not None else 0


def test_each_chart_page_is_audited_as_staff(cast_with_records: Cast) -> None:
    cast = cast_with_records
    assert cast.record is not None
    client = client_for(cast.clinician)
    for name, url in all_chart_urls(cast).items():
        last = _last_sequence()
        assert client.get(url).status_code == 200
        events = AuditEvent.objects.filter(sequence__gt=last)
        object_id = str(DETAIL_PAGES[name](cast.record).pk) if name in DETAIL_PAGES else ""
        assert list(
            events.values_list(
                "actor", "patient", "acting_as", "action", "object_type", "object_id", "outcome"
            )
        ) == [
            (
                cast.clinician.pk,
                cast.patient.pk,
                "staff",
                "view",
                OBJECT_TYPES[name],
                object_id,
                "success",
            )
        ], name


def test_the_patients_page_is_audited_as_a_staff_view(cast: Cast) -> None:
    last = _last_sequence()
    url = reverse("staff:patient", args=[cast.patient.pk])
    assert client_for(cast.front_desk).get(url).status_code == 200
    events = AuditEvent.objects.filter(sequence__gt=last)
    assert list(
        events.values_list(
            "actor", "patient", "acting_as", "action", "object_type", "object_id", "outcome"
        )
    ) == [
        (
            cast.front_desk.pk,
            cast.patient.pk,
            "staff",
            "view",
            "patient_overview",
            str(cast.patient.pk),
            "success",
        )
    ]


def _activity_rows(client: Client) -> list[tuple[str, str, str, str]]:
    response = client.get(reverse("audit:activity"))
    rows = response.context["looked_rows"]
    return [(row.who, row.acting_as, row.what, row.outcome) for row in rows]


def test_the_patient_sees_the_staff_views_in_account_activity(
    cast_with_records: Cast, patient_client: Client
) -> None:
    cast = cast_with_records
    client_for(cast.front_desk).get(reverse("staff:patient", args=[cast.patient.pk]))
    nurse = client_for(cast.nurse)
    urls = all_chart_urls(cast)
    nurse.get(urls["results"])
    nurse.get(urls["result-detail"])
    nurse.get(urls["document-detail"])
    staff = "Clinic staff"
    assert _activity_rows(patient_client)[:4] == [
        ("Nora Nurse (nurse)", staff, "Viewed a document", "Allowed"),
        ("Nora Nurse (nurse)", staff, "Viewed a test result", "Allowed"),
        ("Nora Nurse (nurse)", staff, "Viewed the test results", "Allowed"),
        (
            "Fran Frontdesk (front desk)",
            staff,
            "Viewed the patient's details and appointments in the clinic console",
            "Allowed",
        ),
    ]
    html = patient_client.get(reverse("audit:activity")).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Nora Nurse (nurse) Viewed the test results" in text
