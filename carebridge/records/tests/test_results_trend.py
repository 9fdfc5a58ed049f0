"""One test over time: periods, the chart and the paged table, 404s, and a constant budget."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
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

TREND = reverse("records:test-trend", args=["4548-4"])
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
    response = patient_client.get(TREND)
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
    assert html.count('class="chart-point"') == 2 + 1
    assert "Every reading 2 readings, newest first" in text


def test_the_last_year_leaves_out_older_readings(cast_with_records, patient_client):
    response = patient_client.get(TREND, {"period": "1y"})
    assert table_rows(response) == [f"{day(YESTERDAY)} 7.2 % 4 to 5.6 % ▲ High"]
    assert '<a href="?period=1y" aria-current="page">Last year</a>' in response.content.decode()


def test_an_unknown_period_falls_back_to_all(cast_with_records, patient_client):
    response = patient_client.get(TREND, {"period": "forever"})
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
    text = page_text(patient_client.get(TREND, {"period": "1y"}))
    assert text.startswith("All test results Hemoglobin A1c over time")
    assert "There are no readings of this test in this period. Choose a longer period" in text


def test_a_test_the_patient_never_had_is_404(cast_with_records, patient_client):
    assert patient_client.get(reverse("records:test-trend", args=["2345-7"])).status_code == 404


def test_a_code_that_is_not_a_code_is_404_without_touching_the_record(cast, patient_client):
    response = patient_client.get(reverse("records:test-trend", args=["x" * 40]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(object_type="results").exists()


def test_viewing_a_trend_is_audited_with_the_code(cast_with_records, patient_client):
    patient_client.get(TREND)
    event = AuditEvent.objects.filter(object_type="results").get()
    assert (event.object_id, event.patient) == ("4548-4", cast_with_records.patient)


def test_the_table_is_paged_and_the_page_link_keeps_the_period(cast, patient_client):
    add_a1c_history(cast.patient, 30)
    first = patient_client.get(TREND, {"period": "5y"})
    assert len(table_rows(first)) == 25
    html = first.content.decode()
    assert 'href="?period=5y&amp;page=2#readings" rel="next">Older readings</a>' in html
    second = patient_client.get(TREND, {"period": "5y", "page": "2"})
    assert len(table_rows(second)) == 5


def test_the_trend_costs_the_same_queries_for_2_or_1002_readings(cast_with_records):
    small, large = Client(), Client()
    small.force_login(cast_with_records.second_patient_user)
    large.force_login(cast_with_records.patient_user)
    budget = query_count(small, TREND)
    add_a1c_history(cast_with_records.patient, 1000)
    assert query_count(large, TREND) == budget
    html = large.get(TREND).content.decode()
    assert html.count('class="chart-point"') == 200 + 1
    assert re.search(r"\sstyle\s*=", html) is None
