"""The test-results list: exact rows from Pat's sample record, filters, held results, new
markers, paging, audit, and a query budget that does not grow with the record."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.testing.records import category, glucose, store

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def page_text(response: Any) -> str:
    """The record area's visible text, tags removed and spaces collapsed."""
    assert response.status_code == 200
    html = response.content.decode().split('<div class="record-content">', 1)[1]
    html = html.split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table_rows(response: Any) -> list[str]:
    """Each body row of the page's first table, as text."""
    html = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def add_many_results(patient: Patient, count: int) -> None:
    """`count` more glucose results, one a day going back from two days ago (bulk stored)."""
    start = TODAY - datetime.timedelta(days=2)
    store(
        patient,
        *(glucose(patient, start - datetime.timedelta(days=n), 80 + n % 30) for n in range(count)),
    )


def query_count(client: Any, url: str) -> int:
    client.get(url)  # warm caches (content types, sessions) so both measures are alike
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pats_results_are_listed_newest_first_with_exact_values(cast_with_records, patient_client):
    response = patient_client.get(reverse("records:results"))
    # The report is one row, its flagged result named; the older result stands alone.
    assert table_rows(response) == [
        f"Comprehensive metabolic panel New {day(YESTERDAY)} 2 results "
        "1 needs attention: Hemoglobin A1c ▲ High",
        f"Hemoglobin A1c {day(TODAY - datetime.timedelta(days=730))} 6.1 % "
        "Normal range: 4 to 5.6 % ▲ High",
    ]
    record = cast_with_records.record
    html = response.content.decode()
    assert re.findall(r'href="/record/results/(\d+)/"', html) == [str(record.old_hba1c.pk)]
    assert html.count(f'href="/record/results/reports/{record.report.pk}/"') == 1
    assert "Your test results, newest first (2 tests and reports)" in page_text(response)


def test_another_patients_results_never_appear(cast_with_records, patient_client):
    second = cast_with_records.second_record
    html = patient_client.get(reverse("records:results")).content.decode()
    for row in (second.hba1c, second.hemoglobin, second.old_hba1c, second.report):
        assert f"/{row.pk}/" not in html


def test_vital_signs_are_not_test_results(cast_with_records, patient_client):
    text = page_text(patient_client.get(reverse("records:results")))
    assert "Blood pressure" not in text
    assert "Body weight" not in text


def test_held_results_are_not_listed_and_a_notice_counts_them(cast, patient_client):
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    (held,) = store(cast.patient, glucose(cast.patient, YESTERDAY, 130))
    cast.clinic.held_result_categories = []
    cast.clinic.save()
    store(cast.patient, glucose(cast.patient, TODAY - datetime.timedelta(days=3), 90))
    response = patient_client.get(reverse("records:results"))
    text = page_text(response)
    assert (
        "1 result is waiting for your clinician to review it. It will appear here once they "
        "have." in text
    )
    assert table_rows(response) == [
        f"Glucose New {day(TODAY - datetime.timedelta(days=3))} 90 mg/dL "
        "Normal range: 70 to 99 mg/dL Normal"
    ]
    assert f"/{held.pk}/" not in response.content.decode()
    assert "130" not in text


def test_no_notice_without_held_results(cast_with_records, patient_client):
    text = page_text(patient_client.get(reverse("records:results")))
    assert "waiting for your clinician" not in text


def test_entered_in_error_results_are_not_listed(cast, patient_client):
    store(cast.patient, glucose(cast.patient, YESTERDAY, status="entered-in-error"))
    text = page_text(patient_client.get(reverse("records:results")))
    assert "There are no test results in the record yet." in text


def test_empty_record_says_so(cast, patient_client):
    response = patient_client.get(reverse("records:results"))
    assert "There are no test results in the record yet. When the clinic adds them, they " in (
        page_text(response)
    )
    assert "<table" not in response.content.decode().split('<div class="record-content">')[1]


def test_the_date_filter_keeps_results_between_the_days(cast_with_records, patient_client):
    two_years = TODAY - datetime.timedelta(days=730)
    response = patient_client.get(
        reverse("records:results"),
        {"date_from": two_years.isoformat(), "date_to": two_years.isoformat()},
    )
    assert table_rows(response) == [
        f"Hemoglobin A1c {day(two_years)} 6.1 % Normal range: 4 to 5.6 % ▲ High"
    ]


def test_the_kind_filter_keeps_one_category(cast_with_records, patient_client):
    scan = glucose(cast_with_records.patient, YESTERDAY) | {
        "category": category("imaging"),
        "code": {"text": "Chest X-ray"},
        "valueString": "No problems seen",
    }
    del scan["valueQuantity"], scan["referenceRange"]
    store(cast_with_records.patient, scan)
    response = patient_client.get(reverse("records:results"), {"kind": "imaging"})
    assert table_rows(response) == [f"Chest X-ray New {day(YESTERDAY)} No problems seen"]


def test_filters_that_match_nothing_say_so(cast_with_records, patient_client):
    response = patient_client.get(reverse("records:results"), {"kind": "pathology"})
    assert "No results match these filters." in page_text(response)


def test_an_impossible_date_range_is_explained(cast_with_records, patient_client):
    response = patient_client.get(
        reverse("records:results"), {"date_from": "2025-05-02", "date_to": "2025-05-01"}
    )
    text = page_text(response)
    assert "To: The end date must be on or after the start date." in text
    assert "Correct the filters above to see the results." in text


def test_results_are_paged_25_at_a_time(cast, patient_client):
    add_many_results(cast.patient, 30)
    first = patient_client.get(reverse("records:results"))
    second = patient_client.get(reverse("records:results"), {"page": 2})
    assert (len(table_rows(first)), len(table_rows(second))) == (25, 5)
    assert "Page 1 of 2" in page_text(first)
    assert 'href="?page=2"' in first.content.decode()


def test_viewing_the_list_is_audited_and_marks_nothing_seen(cast_with_records, patient_client):
    # Which sample results count as new depends on the hour the cast was built (the vital signs
    # sit 30 days back, on the edge of CAREBRIDGE_NEW_RESULT_DAYS): compare before and after.
    unseen = ClinicalResource.objects.filter(
        patient=cast_with_records.patient, resource_type="Observation", seen_at__isnull=True
    )
    before = set(unseen.values_list("pk", flat=True))
    patient_client.get(reverse("records:results"))
    event = AuditEvent.objects.filter(object_type="results").get()
    assert (event.action, event.patient, event.acting_as) == (
        "view",
        cast_with_records.patient,
        "self",
    )
    record = cast_with_records.record
    assert {record.hba1c.pk, record.hemoglobin.pk} <= before
    assert set(unseen.values_list("pk", flat=True)) == before


def test_the_list_costs_the_same_queries_for_3_or_1003_results(
    cast_with_records, django_assert_num_queries
):
    from django.test import Client

    url = reverse("records:results")
    small, large = Client(), Client()
    small.force_login(cast_with_records.second_patient_user)
    large.force_login(cast_with_records.patient_user)
    budget = query_count(small, url)
    add_many_results(cast_with_records.patient, 1000)
    large.get(url)
    with django_assert_num_queries(budget):
        assert large.get(url).status_code == 200


def test_no_inline_styles_on_the_page(cast_with_records, patient_client):
    html = patient_client.get(reverse("records:results")).content.decode()
    assert re.search(r"\sstyle\s*=", html) is None


def test_a_date_only_result_is_shown_and_filtered_on_its_own_day(cast, patient_client):
    resource = glucose(cast.patient, YESTERDAY) | {"effectiveDateTime": "2025-03-04"}
    store(cast.patient, resource)
    response = patient_client.get(
        reverse("records:results"), {"date_from": "2025-03-04", "date_to": "2025-03-04"}
    )
    assert table_rows(response) == [
        f"Glucose New {day(datetime.date(2025, 3, 4))} 95 mg/dL Normal range: 70 to 99 mg/dL Normal"
    ]


TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "records"
RESULT_TEMPLATES = [
    *(
        TEMPLATES / name
        for name in (
            "summary.html",
            "results.html",
            "result_detail.html",
            "report_detail.html",
            "test_trend.html",
            "vitals.html",
            "includes/chart.html",
            "includes/result_flag.html",
        )
    ),
    *sorted((TEMPLATES / "results").glob("*.html")),
]


@pytest.mark.parametrize("path", RESULT_TEMPLATES, ids=lambda path: path.name)
def test_result_templates_use_classes_not_style_attributes(path):
    # The CSP allows no inline styles (style-src 'self'): a style attribute would be ignored.
    assert re.search(r"\sstyle\s*=", path.read_text()) is None


def record_queries(client: Any, url: str, *, kept: bool = True) -> list[str]:
    """The SQL of the queries a page sends to the clinical record (`kept=False`: without the
    counts kept since the first request, as after a change to the record)."""
    client.get(url)
    if not kept:
        caches["kept"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if "records_clinicalresource" in query["sql"]]


def query_plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " / ".join(str(row[-1]) for row in cursor.fetchall())


def test_the_list_reads_the_record_in_five_queries(cast_with_records, patient_client):
    # The counts (new and held) in one; the results' index columns, the reports' result lists
    # and the panels' part lists to group them; and the page's rows. (And one more, of the
    # comments, not of the record.)
    url = f"{reverse('records:results')}?kind=laboratory"
    queries = record_queries(patient_client, url, kept=False)
    assert len(queries) == 5
    assert [sql.count("COUNT(") for sql in queries] == [0, 0, 0, 2, 0]
    # The next request uses the counts kept for Pat: the record is read in four.
    assert [sql.count("COUNT(") for sql in record_queries(patient_client, url)] == [0, 0, 0, 0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
def test_the_lists_queries_use_their_indexes(cast_with_records, patient_client):
    results, panels, reports, counts, rows = record_queries(
        patient_client, f"{reverse('records:results')}?date_from=2020-01-01", kept=False
    )
    # The counts never touch a row, so never its JSON.
    assert "USING COVERING INDEX resource_category_cover" in query_plan(counts)
    # Grouping reads the patient's results, panels and reports through the index, never a walk
    # through every resource of the patient; the page's rows by their keys.
    for sql in (results, panels, reports):
        plan = query_plan(sql)
        assert "USING INDEX resource_category_cover" in plan
        assert "SCAN" not in plan
    assert "USING INTEGER PRIMARY KEY" in query_plan(rows)


@pytest.mark.parametrize("page", ["results", "trend"])
def test_the_record_menu_marks_test_results_as_the_current_section(
    cast_with_records, patient_client, page
):
    hba1c = cast_with_records.record.hba1c
    url = {
        "results": reverse("records:results"),
        "trend": reverse("records:test-trend", args=[hba1c.pk]),
    }[page]
    html = patient_client.get(url).content.decode()
    nav = html.split('<nav class="record-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', nav) == [
        ("/record/results/", "Test results")
    ]
    assert nav.count("<li>") == 13
