"""Documents and notes: the list, a document's text (escaped, never markup), other kinds of
file, another patient's document, hidden documents, audit events and query budgets."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.urls import reverse

from carebridge.records.models import ClinicalResource, Release
from carebridge.records.selectors.attachments import attachment_text, html_to_text
from carebridge.records.tests.page_checks import (
    day,
    document_url,
    last_event,
    page_text,
    visit_page_queries,
    visit_url,
)
from carebridge.testing.records import NOTE_TEXT, document, store

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


# Documents.


def test_documents_list_exact_values_with_visit_link(cast_with_records, patient_client):
    record = cast_with_records.record
    response = patient_client.get(reverse("records:documents"))
    written = day(TODAY - datetime.timedelta(days=30))
    assert (
        f"Your documents and notes, newest first (1 in all) Date Document Written by Visit "
        f"{written} Progress note Clinical note Maya Chen, MD Check-up on {written}"
    ) in page_text(response)
    html = response.content.decode()
    assert f'href="{document_url(record.note)}"' in html
    assert f'href="{visit_url(record.encounter)}"' in html


def test_documents_empty_state(cast, patient_client):
    text = page_text(patient_client.get(reverse("records:documents")))
    assert (
        "No documents or notes are recorded here. The clinic may hold records from before "
        "it used this portal."
    ) in text


def test_document_shows_its_text_and_details(cast_with_records, patient_client):
    record = cast_with_records.record
    text = page_text(patient_client.get(document_url(record.note)))
    written = day(TODAY - datetime.timedelta(days=30))
    assert f"Progress note Kind Clinical note Date {written}" in text
    assert (
        f"Written by Maya Chen, MD Status Current Visit Check-up on {written} "
        f"What it says {NOTE_TEXT}"
    ) in text
    event = last_event()
    assert (event.object_type, event.object_id) == ("document", str(record.note.pk))


def test_html_from_a_document_is_shown_as_text_never_as_markup(cast, patient_client):
    html = (
        b"<html><head><style>p{}</style></head><body><p>Hello &amp; <b>bye</b></p>"
        b"<script>alert(1)</script><img src=x onerror=alert(2)><p>&lt;i&gt;not markup</p></body>"
    )
    (row,) = store(cast.patient, document(cast.patient, "text/html; charset=utf-8", html))
    response = patient_client.get(document_url(row))
    page = response.content.decode()
    assert '<div class="note-text">Hello &amp; bye\n\n&lt;i&gt;not markup</div>' in page
    assert "alert(" not in page and "onerror" not in page and "<b>bye" not in page


def test_a_pdf_is_not_decoded_and_the_page_says_to_ask_the_clinic(cast, patient_client):
    (row,) = store(cast.patient, document(cast.patient, "application/pdf", b"%PDF-1.4 binary"))
    text = page_text(patient_client.get(document_url(row)))
    assert (
        "What it says This document is not held in the portal as text (PDF document), so it "
        "cannot be shown here. You can ask your clinic for a copy."
    ) in text
    assert "PDF-1.4" not in text


def test_a_plain_copy_is_preferred_and_other_forms_are_named(cast, patient_client):
    resource = document(cast.patient, "text/html", b"<p>HTML copy</p>", status="superseded")
    resource["content"] += [
        {"attachment": {"contentType": "text/plain", "data": base64.b64encode(b"Plain").decode()}},
        {"attachment": {"contentType": "application/pdf", "url": "https://example.org/x.pdf"}},
    ]
    (row,) = store(cast.patient, resource)
    text = page_text(patient_client.get(document_url(row)))
    assert "Status Replaced by a newer version" in text
    # With no category, the document's type code is not shown as its kind.
    assert "Kind" not in text and "11488-4" not in text
    assert "Visit Not linked to a visit" in text
    assert (
        "What it says Plain Your clinic also holds this document in another form "
        "(PDF document). You can ask them for a copy."
    ) in text
    assert "HTML copy" not in text


def test_another_patients_document_is_404_and_audited_as_denied(cast_with_records, patient_client):
    theirs = cast_with_records.second_record.note
    assert patient_client.get(document_url(theirs)).status_code == 404
    event = last_event()
    assert (event.object_type, event.outcome, event.patient_id) == (
        "document",
        "denied",
        cast_with_records.second_patient.pk,
    )


def test_a_document_entered_in_error_or_held_is_404(cast, patient_client):
    mistaken, held = store(
        cast.patient,
        document(cast.patient, "text/plain", b"x", status="entered-in-error"),
        document(cast.patient, "text/plain", b"y"),
    )
    ClinicalResource.objects.filter(pk=held.pk).update(release=Release.HELD)
    assert patient_client.get(document_url(mistaken)).status_code == 404
    assert patient_client.get(document_url(held)).status_code == 404
    listed = page_text(patient_client.get(reverse("records:documents")))
    assert "Consultation note" not in listed


# Attachments.


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    html = "<h1>Plan</h1><p>One\n  two</p><script>x()</script><ul><li>A</li><li>B &gt; C</li></ul>"
    assert html_to_text(html) == "Plan\n\nOne two\n\nA\n\nB > C"


def test_attachment_text_handles_charsets_bad_data_and_other_kinds():
    latin = {"contentType": "text/plain; charset=ISO-8859-1", "data": "Y2Fm6Q=="}
    assert attachment_text(latin).text == "café"
    broken = {"contentType": "text/plain", "data": "not base64!"}
    assert (attachment_text(broken).text, attachment_text(broken).kind) == ("", "Text")
    picture = {"contentType": "image/png", "data": "iVBORw0KGgo=", "title": "Rash"}
    assert (attachment_text(picture).text, attachment_text(picture).kind) == ("", "Picture or scan")


# Query budgets: the same number of queries for a small record as for a large one.


@pytest.mark.parametrize("name", ["documents", "document-detail"])
def test_query_count_does_not_grow_with_the_record(
    cast_with_records, patient_client, django_assert_max_num_queries, name
):
    small, large = visit_page_queries(
        cast_with_records, patient_client, django_assert_max_num_queries, name
    )
    assert small == large
