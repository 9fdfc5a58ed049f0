"""Releasing held results: the clinician's list (own clinic only), release with CSRF, audit,
e-mail after commit, reports released with their results, and a constant query budget."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from carebridge.audit.models import AuditEvent
from carebridge.records.models import ClinicalResource, Release
from carebridge.testing import factories, records
from carebridge.testing.records import LOINC, coded, next_id, store, subject

pytestmark = pytest.mark.django_db

HELD = reverse("staff:held-results")
TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def glucose(patient: Any, value: float = 130.0) -> dict[str, Any]:
    """A glucose result from yesterday (high by default)."""
    return records.glucose(patient, YESTERDAY, value)


def hold_labs(clinic: Any) -> None:
    clinic.held_result_categories = ["laboratory"]
    clinic.save()


def rows(response: Any) -> list[str]:
    assert response.status_code == 200
    html = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


@pytest.fixture
def clinician_client(cast) -> Client:
    client = Client()
    client.force_login(cast.clinician)
    return client


def test_the_list_shows_the_clinics_held_results_with_values(cast, clinician_client):
    hold_labs(cast.clinic)
    store(cast.patient, glucose(cast.patient))
    assert rows(clinician_client.get(HELD)) == [
        "Glucose for Pat Patient Pat Patient RFC-1001 130 mg/dL (70 to 99 mg/dL) ▲ High "
        f"{date_format(YESTERDAY, 'DATE_FORMAT')} Release with a comment (Glucose, Pat Patient)"
    ]


def test_another_clinics_held_results_never_appear(cast, clinician_client):
    hold_labs(cast.other_clinic)
    elsewhere = factories.make_patient(cast.other_clinic, given_name="Olga", family_name="Else")
    store(elsewhere, glucose(elsewhere))
    response = clinician_client.get(HELD)
    assert "Olga" not in response.content.decode()
    assert "No results are waiting for review." in response.content.decode()


def test_released_results_are_not_listed(cast_with_records, clinician_client):
    html = clinician_client.get(HELD).content.decode()
    assert "Hemoglobin" not in html
    assert "No results are waiting for review. New results your clinic holds will appear" in html


def test_releasing_the_chosen_results(cast, clinician_client, django_capture_on_commit_callbacks):
    hold_labs(cast.clinic)
    first, second = store(cast.patient, glucose(cast.patient, 130), glucose(cast.patient, 95))
    with django_capture_on_commit_callbacks(execute=True):
        response = clinician_client.post(HELD, {"result": [str(first.pk)]}, follow=True)
    assert response.redirect_chain == [(HELD, 302)]
    assert (
        "Released 1 result. The patient has been told by e-mail that something new is in their "
        "record." in response.content.decode()
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.release, first.released_by, second.release) == (
        Release.RELEASED,
        cast.clinician,
        Release.HELD,
    )
    event = AuditEvent.objects.filter(action="release").get()
    assert (event.object_id, event.patient, event.actor) == (
        str(first.pk),
        cast.patient,
        cast.clinician,
    )
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]
    assert "130" not in mail.outbox[0].body


def test_choosing_nothing_releases_nothing_and_says_so(cast, clinician_client):
    hold_labs(cast.clinic)
    (row,) = store(cast.patient, glucose(cast.patient))
    response = clinician_client.post(HELD, {"result": ["not-a-number"]}, follow=True)
    assert "Choose at least one result to release." in response.content.decode()
    row.refresh_from_db()
    assert row.release == Release.HELD


def test_another_clinics_result_cannot_be_released_by_its_id(cast, clinician_client):
    hold_labs(cast.other_clinic)
    elsewhere = factories.make_patient(cast.other_clinic)
    (row,) = store(elsewhere, glucose(elsewhere))
    response = clinician_client.post(HELD, {"result": [str(row.pk)]}, follow=True)
    assert "None of the chosen results was waiting. It may already be released." in (
        response.content.decode()
    )
    row.refresh_from_db()
    assert row.release == Release.HELD
    assert not AuditEvent.objects.filter(action="release").exists()


def test_releasing_a_report_releases_its_results(cast, clinician_client):
    hold_labs(cast.clinic)
    result = glucose(cast.patient)
    report = {
        "resourceType": "DiagnosticReport",
        "id": next_id("report"),
        "status": "final",
        "category": [{"coding": [{"code": "LAB"}]}],
        "code": coded(LOINC, "24323-8", "Comprehensive metabolic panel"),
        "subject": subject(cast.patient),
        "effectiveDateTime": result["effectiveDateTime"],
        "result": [{"reference": f"Observation/{result['id']}"}],
    }
    result_row, report_row = store(cast.patient, result, report)
    assert "Comprehensive metabolic panel (report)" in clinician_client.get(HELD).content.decode()
    clinician_client.post(HELD, {"result": [str(report_row.pk)]})
    released = ClinicalResource.objects.filter(release=Release.RELEASED, patient=cast.patient)
    assert set(released.values_list("pk", flat=True)) == {result_row.pk, report_row.pk}


def test_release_needs_a_csrf_token(cast):
    hold_labs(cast.clinic)
    (row,) = store(cast.patient, glucose(cast.patient))
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.clinician)
    assert client.post(HELD, {"result": [str(row.pk)]}).status_code == 403
    row.refresh_from_db()
    assert row.release == Release.HELD
    page = client.get(HELD).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_viewing_the_list_is_audited_once_for_each_patient_shown(cast, clinician_client):
    hold_labs(cast.clinic)
    store(cast.patient, glucose(cast.patient))
    store(cast.second_patient, glucose(cast.second_patient), glucose(cast.second_patient, 120))
    clinician_client.get(HELD)
    events = AuditEvent.objects.filter(object_type="results").order_by("sequence")
    assert sorted((e.action, e.actor, e.patient.mrn, e.acting_as) for e in events) == [
        ("view", cast.clinician, cast.patient.mrn, "staff"),
        ("view", cast.clinician, cast.second_patient.mrn, "staff"),
    ]


def test_an_empty_list_names_no_patient(cast, clinician_client):
    clinician_client.get(HELD)
    assert AuditEvent.objects.filter(object_type="results").count() == 0


def test_the_list_costs_the_same_queries_for_1_or_300_held_results(cast, clinician_client):
    hold_labs(cast.clinic)
    store(cast.patient, glucose(cast.patient))
    clinician_client.get(HELD)
    with CaptureQueriesContext(connection) as small:
        clinician_client.get(HELD)
    store(cast.second_patient, *(glucose(cast.second_patient, 100 + n) for n in range(300)))
    clinician_client.get(HELD)
    with CaptureQueriesContext(connection) as large:
        response = clinician_client.get(HELD)
    assert len(large) == len(small)
    assert len(rows(response)) == 50
