"""The download form and the print-ready summary: contents, choices, errors, audit, cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.records.exports.forms import DownloadForm
from carebridge.records.tests.page_checks import patient_with_glucose
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return response.content.decode()


def test_the_print_page_shows_pats_summary(cast_with_records, patient_client):
    response = patient_client.get(reverse("records:print"))
    html = page_text(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for text in (
        '<h1 id="summary-title">Health summary</h1>',
        "<dd>Pat Patient</dd>",
        "<dd>March 14, 1956</dd>",
        "<dd>Riverside Family Clinic</dd>",
        "<dd>All dates</dd>",
        '<tr class="flagged"><th scope="row">Hemoglobin A1c</th><td data-label="Result">7.2 %</td>'
        '<td data-label="Normal range">4 to 5.6 %</td><td data-label="Flag">▲ High</td>',
        '<th scope="row">Penicillin</th><td data-label="Reaction">Hives (moderate)</td>'
        '<td data-label="Status">Active</td>',
        '<th scope="row">Lisinopril 10 MG Oral Tablet</th>'
        '<td data-label="How to take it">Take 1 tablet by mouth once a day</td>'
        '<td data-label="Status">Active</td>',
        '<th scope="row">Blood pressure panel</th><td data-label="Value">128/82 mm[Hg]</td>',
        '<button type="button" class="button" data-print hidden>Print this page</button>',
        "/static/js/print.js",
        "/static/css/record-print.css",
    ):
        assert text in html, text
    titles = [
        "Health problems",
        "Medications",
        "Allergies",
        "Immunizations",
        "Test results",
        "Vital signs",
        "Procedures",
        "Visits",
        "Documents and notes",
    ]
    positions = [html.index(f'">{title}</h2>') for title in titles]
    assert positions == sorted(positions)
    assert "RFC-1002" not in html and "Sam Second" not in html


def test_printing_is_audited_as_an_export(cast_with_records, patient_client):
    patient_client.get(reverse("records:print"), {"include": "chosen", "sections": "allergies"})
    events = AuditEvent.objects.for_patient(cast_with_records.patient.pk).order_by("sequence")
    assert [(event.action, event.object_type, event.object_id) for event in events][-2:] == [
        ("view", "record_download", ""),
        ("export", "record_download", "print alg"),
    ]


def test_chosen_sections_and_dates_shape_the_summary(cast_with_records, patient_client):
    response = patient_client.get(
        reverse("records:print"),
        {
            "include": "chosen",
            "sections": ["allergies", "results"],
            "date_from": "2010-01-01",
            "date_to": "2016-12-31",
        },
    )
    html = page_text(response)
    assert '">Allergies</h2>' in html and '">Test results</h2>' in html
    assert '">Medications</h2>' not in html
    assert "Penicillin" in html
    assert "Nothing recorded between these dates." in html
    assert "<dd>From January 1, 2010 to December 31, 2016</dd>" in html


def test_the_sections_form_choice_is_ignored_when_everything_is_chosen(cast_with_records):
    form = DownloadForm({"format": "ccda", "include": "all", "sections": ["allergies"]})
    assert form.is_valid()
    assert form.selection().is_everything


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"format": "fhir", "include": "chosen"},
            "sections",
            "Choose at least one part of your record, or choose everything.",
        ),
        (
            {
                "format": "fhir",
                "include": "all",
                "date_from": "2024-05-02",
                "date_to": "2024-05-01",
            },
            "date_to",
            "The end date must be on or after the start date.",
        ),
        (
            {"format": "fhir", "include": "all", "date_from": "1850-01-01"},
            "date_from",
            "Enter a date in 1900 or later.",
        ),
        (
            {"format": "fhir", "include": "all", "date_to": "2999-01-01"},
            "date_to",
            "Enter a date that is not in the future.",
        ),
        ({"format": "pdf", "include": "all"}, "format", None),
    ],
)
def test_the_form_explains_each_mistake(data, field, message):
    form = DownloadForm(data)
    assert not form.is_valid()
    assert list(form.errors) == [field]
    if message:
        assert form.errors[field] == [message]


def test_a_mistake_shows_the_form_again_with_no_file_and_no_export(cast, patient_client):
    response = patient_client.get(
        reverse("records:download"),
        {"format": "ccda", "include": "all", "date_from": "2024-05-02", "date_to": "2024-05-01"},
    )
    html = page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#id_date_to">To: The end date must be on or after the start date.</a>' in html
    assert "Content-Disposition" not in response
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_empty_form_offers_every_choice(cast, patient_client):
    html = page_text(patient_client.get(reverse("records:download")))
    for value in ("print", "ccda", "fhir", "all", "chosen", "problems", "notes"):
        assert f'value="{value}"' in html
    assert '<legend class="label">Kind of file</legend>' in html


def test_choosing_print_leads_to_the_print_page_with_the_same_choice(cast, patient_client):
    response = patient_client.get(
        reverse("records:download"),
        {"format": "print", "include": "chosen", "sections": ["problems"], "date_to": "2025-01-31"},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        "/record/download/print/?include=chosen&sections=problems&date_to=2025-01-31"
    )


def test_a_bad_print_address_goes_back_to_the_form(cast, patient_client):
    response = patient_client.get(reverse("records:print"), {"include": "chosen"})
    assert response.status_code == 302
    assert response["Location"] == "/record/download/?format=print&include=chosen"


def test_the_print_page_costs_the_same_for_10_and_500_observations(cast):
    counts = []
    for size in (10, 500):
        patient = patient_with_glucose(cast.clinic, size, user=factories.make_user())
        client = Client()
        client.force_login(patient.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("records:print"))
        assert page_text(response).count('<th scope="row">Glucose</th>') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
