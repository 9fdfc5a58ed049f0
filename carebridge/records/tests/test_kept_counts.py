"""The record's counts on the home page and the results list (new and held results, new
reports) are kept between the requests of the patient and those helping them, and are right
on the very next request after a result arrives, is opened or is released."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.records.models import ClinicalResource
from carebridge.records.services.results import release_results
from carebridge.records.tests.test_results_list import TODAY, YESTERDAY, glucose
from carebridge.records.tests.test_summary import panel_text
from carebridge.testing.clients import client_for
from carebridge.testing.records import store

pytestmark = pytest.mark.django_db

HOME = reverse("home:home")


def _counted(client: Client, url: str = HOME) -> int:
    """How many statements of the request counted the patient's results."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        'FROM "records_clinicalresource"' in q["sql"] and "FILTER (WHERE" in q["sql"]
        for q in queries.captured_queries
    )


def test_the_counts_are_kept_until_the_record_changes(cast_with_records, patient_client):
    assert panel_text(patient_client.get(HOME)) == (
        "You have 1 new test result. See all test results"
    )
    assert _counted(patient_client) == 0
    assert _counted(patient_client, reverse("records:results")) == 0
    store(cast_with_records.patient, glucose(cast_with_records.patient, TODAY))
    assert _counted(patient_client) == 1
    assert panel_text(patient_client.get(HOME)) == (
        "You have 2 new test results. See all test results"
    )


def test_opening_a_result_lowers_the_count_on_the_next_request(cast, patient_client):
    (row,) = store(cast.patient, glucose(cast.patient, YESTERDAY))
    assert panel_text(patient_client.get(HOME)) == (
        "You have 1 new test result. See all test results"
    )
    assert patient_client.get(reverse("records:result-detail", args=[row.pk])).status_code == 200
    assert panel_text(patient_client.get(HOME)) == (
        "You have no new test results. See all test results"
    )


def test_a_release_reaches_the_patient_and_the_caregiver_at_once(cast, patient_client):
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    (row,) = store(cast.patient, glucose(cast.patient, YESTERDAY))
    cora = client_for(cast.proxies.full_caregiver, acting_for=cast.patient)
    held = "1 result is waiting for your clinician's review. See all test results"
    assert panel_text(patient_client.get(HOME)) == held
    assert "1 result is waiting" in panel_text(cora.get(HOME))
    assert _counted(cora) == 0
    release_results(actor=cast.clinician, clinic=cast.clinic, resource_ids=[row.pk])
    assert ClinicalResource.objects.get(pk=row.pk).release == "released"
    assert panel_text(patient_client.get(HOME)) == (
        "You have 1 new test result. See all test results"
    )
    assert panel_text(cora.get(HOME)) == "There is 1 new test result. See all test results"


def test_staff_reading_a_chart_count_each_time(cast_with_records):
    nurse = client_for(cast_with_records.nurse)
    chart = reverse("staff:chart-results", args=[cast_with_records.patient.pk])
    # Staff keys are not renewed by a patient's record: their counts are never kept.
    assert [_counted(nurse, chart) for _ in range(3)] == [1, 1, 1]
