"""One test over time: periods, the chart and the paged table, 404s, and a constant budget."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.records.models import ClinicalResource
from carebridge.records.tests.test_results_list import (
    TODAY,
    YESTERDAY,
    day,
    page_text,
    query_count,
    table_rows,
)
from carebridge.testing.records import lab_observation, store

pytestmark = pytest.mark.django_db


def trend(patient) -> str:
    """The trend page of the patient's newest HbA1c result (the address names a result)."""
    newest = ClinicalResource.objects.filter(patient=patient, code="4548-4").newest_first()
    return reverse("records:test-trend", args=[newest.values_list("pk", flat=True)[0]])


TWO_YEARS_AGO = TODAY - datetime.timedelta(days=730)


def add_a1c_history(patient, count: int) -> None:
    store(
        patient,
        *(
            lab_observation(
                patient,
                code="4548-4",
                display="Hemoglobin A1c",
                value=5.0 + n % 10 / 10,
                unit="%",
                low=4.0,
                high=5.6,
                day=TODAY - datetime.timedelta(days=800 + n),
            )
            for n in range(count)
        ),
    )


def test_all_readings_by_default_with_chart_and_table(cast_with_records, patient_client):
    response = patient_client.get(trend(cast_with_records.patient))
    text = page_text(response)
    assert text.startswith(
        "All test results Hemoglobin A1c over time Last year Last 5 years All readings"
    )
    assert table_rows(response) == [
        f"{day(YESTERDAY)} 7.2 % 4 to 5.6 % ▲ High",
        f"{day(TWO_YEARS_AGO)} 6.1 % 4 to 5.6 % ▲ High",
    ]
    html = response.content.decode()
    assert '<a href="?period=all" aria-current="page">All readings</a>' in html
    wide, narrow = html.split('class="chart-narrow"')
    assert wide.count('class="chart-point"') == 2 + 1
    # Both readings fit the phone's chart: it says nothing is left out.
    assert narrow.count('class="chart-point"') == 2 + 1
    assert "The chart shows the newest" not in narrow
    assert "Every reading 2 readings, newest first" in text


def test_the_last_year_leaves_out_older_readings(cast_with_records, patient_client):
    response = patient_client.get(trend(cast_with_records.patient), {"period": "1y"})
    assert table_rows(response) == [f"{day(YESTERDAY)} 7.2 % 4 to 5.6 % ▲ High"]
    assert '<a href="?period=1y" aria-current="page">Last year</a>' in response.content.decode()


def test_an_unknown_period_falls_back_to_all(cast_with_records, patient_client):
    response = patient_client.get(trend(cast_with_records.patient), {"period": "forever"})
    assert len(table_rows(response)) == 2


def test_a_period_with_no_readings_says_so(cast, patient_client):
    store(
        cast.patient,
        lab_observation(
            cast.patient,
            code="4548-4",
            display="Hemoglobin A1c",
            value=6.0,
            unit="%",
            low=4.0,
            high=5.6,
            day=TWO_YEARS_AGO,
        ),
    )
    text = page_text(patient_client.get(trend(cast.patient), {"period": "1y"}))
    assert text.startswith("All test results Hemoglobin A1c over time")
    assert "There are no readings of this test in this period. Choose a longer period" in text


def test_another_patients_result_has_no_trend_for_her(cast_with_records, patient_client):
    response = patient_client.get(trend(cast_with_records.second_patient))
    assert response.status_code == 404
    event = AuditEvent.objects.filter(object_type="result").get()
    assert (event.outcome, event.patient) == ("denied", cast_with_records.second_patient)


def test_the_address_names_a_result_never_the_tests_code(cast_with_records):
    url = trend(cast_with_records.patient)
    assert url == f"/record/results/{cast_with_records.record.hba1c.pk}/trend/"
    assert "4548" not in url


def test_viewing_a_trend_is_audited_as_viewing_the_result(cast_with_records, patient_client):
    patient_client.get(trend(cast_with_records.patient))
    event = AuditEvent.objects.filter(object_type="result").get()
    assert (event.object_id, event.patient) == (
        str(cast_with_records.record.hba1c.pk),
        cast_with_records.patient,
    )


def test_the_table_is_paged_and_the_page_link_keeps_the_period(cast, patient_client):
    add_a1c_history(cast.patient, 30)
    first = patient_client.get(trend(cast.patient), {"period": "5y"})
    assert len(table_rows(first)) == 25
    html = first.content.decode()
    assert 'href="?period=5y&amp;page=2#readings" rel="next">Older readings</a>' in html
    second = patient_client.get(trend(cast.patient), {"period": "5y", "page": "2"})
    assert len(table_rows(second)) == 5


def test_the_trend_costs_the_same_queries_for_2_or_1002_readings(cast_with_records):
    small, large = Client(), Client()
    small.force_login(cast_with_records.second_patient_user)
    large.force_login(cast_with_records.patient_user)
    budget = query_count(small, trend(cast_with_records.second_patient))
    add_a1c_history(cast_with_records.patient, 1000)
    assert query_count(large, trend(cast_with_records.patient)) == budget
    html = large.get(trend(cast_with_records.patient)).content.decode()
    assert html.split('class="chart-narrow"')[0].count('class="chart-point"') == 200 + 1
    assert re.search(r"\sstyle\s*=", html) is None
