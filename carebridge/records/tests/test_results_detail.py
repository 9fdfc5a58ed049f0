"""One result and one report: exact values, flags in words and shape, plain-language notes, the
history chart and table, marking seen (only by the patient), audit and query budgets."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import time_format

from carebridge.audit.models import AuditEvent
from carebridge.proxies.acting import ActingContext, Relationship
from carebridge.records.lab_notes import NOTES, medlineplus_link, note_for
from carebridge.records.models import ClinicalResource
from carebridge.records.tests.test_results_list import (
    TODAY,
    YESTERDAY,
    add_many_results,
    day,
    glucose,
    page_text,
    query_count,
)
from carebridge.records.views import results as views
from carebridge.testing.records import LOINC, SNOMED, coded, lab_observation, next_id, store

pytestmark = pytest.mark.django_db


def detail_url(row: ClinicalResource) -> str:
    return reverse("records:result-detail", args=[row.pk])


def report_url(row: ClinicalResource) -> str:
    return reverse("records:report-detail", args=[row.pk])


def clock(on: datetime.date, utc_hour: int) -> str:
    """How the page writes a UTC hour on that day in the clinic's zone (it follows DST)."""
    moment = datetime.datetime.combine(on, datetime.time(utc_hour), datetime.UTC)
    return time_format(moment.astimezone(ZoneInfo("America/New_York")).time(), "TIME_FORMAT")


def seen(row: ClinicalResource) -> bool:
    row.refresh_from_db()
    return row.seen_at is not None


def test_the_result_page_shows_exact_values_in_words(cast_with_records, patient_client):
    record = cast_with_records.record
    text = page_text(patient_client.get(detail_url(record.hba1c)))
    assert text.startswith(
        "All test results Hemoglobin A1c Shows the average blood sugar over the last two to "
        "three months. It is used to find and follow diabetes. Your result 7.2 % Normal range "
        f"4 to 5.6 % Flag ▲ High Sample taken {day(YESTERDAY)} at {clock(YESTERDAY, 9)} Result "
        f"ready {day(YESTERDAY)} at {clock(YESTERDAY, 15)} Done or reported by Maya Chen, MD "
        "Part of Comprehensive metabolic panel A flag means the result is outside the range the "
        "lab calls normal."
    )


def test_the_flag_has_a_shape_and_a_word_not_only_colour(cast_with_records, patient_client):
    html = patient_client.get(detail_url(cast_with_records.record.hba1c)).content.decode()
    assert (
        '<span class="flag flag-high"><span class="flag-icon" aria-hidden="true">▲</span> High'
        "</span>" in html
    )


@pytest.mark.parametrize(
    ("flag", "words"),
    [("L", "▼ Low"), ("HH", "!! Critical high"), ("LL", "!! Critical low"), ("A", "◆ Abnormal")],
)
def test_every_flag_reads_as_words(cast, patient_client, flag, words):
    (row,) = store(cast.patient, glucose(cast.patient, YESTERDAY, interpretation=flag))
    text = page_text(patient_client.get(detail_url(row)))
    assert f"Flag {words} Sample taken" in text


def test_the_history_chart_has_the_band_and_one_point_per_reading(
    cast_with_records, patient_client
):
    html = patient_client.get(detail_url(cast_with_records.record.hba1c)).content.decode()
    svg = re.search(r"<svg .*?</svg>", html, re.S)
    assert svg is not None
    chart = svg.group(0)
    assert 'role="img" aria-labelledby="chart-history-title chart-history-desc"' in chart
    assert '<title id="chart-history-title">Hemoglobin A1c over time</title>' in chart
    two_years = day(TODAY - datetime.timedelta(days=730))
    assert (
        f'<desc id="chart-history-desc">2 readings of Hemoglobin A1c from {two_years} to '
        f"{day(YESTERDAY)}, lowest 6.1 %, highest 7.2 %. The most recent was 7.2 % on "
        f"{day(YESTERDAY)}. The shaded band is the normal range.</desc>" in chart
    )
    assert chart.count('class="chart-band"') == 1
    # Two readings, plus the legend's sample point.
    assert chart.count('class="chart-point"') == 3


def test_the_same_readings_are_in_a_table_beneath(cast_with_records, patient_client):
    record = cast_with_records.record
    response = patient_client.get(detail_url(record.hba1c))
    text = page_text(response)
    two_years = day(TODAY - datetime.timedelta(days=730))
    assert (
        "Show the readings as a table Your results for this test, newest first Date Result "
        f"Normal range Flag {day(YESTERDAY)} (this result) 7.2 % 4 to 5.6 % ▲ High "
        f"{two_years} 6.1 % 4 to 5.6 % ▲ High" in text
    )
    assert f'href="/record/results/{record.hba1c.pk}/trend/"' in response.content.decode()


def test_a_first_result_has_no_chart_and_says_why(cast_with_records, patient_client):
    response = patient_client.get(detail_url(cast_with_records.record.hemoglobin))
    assert "<svg" not in response.content.decode().split('class="record-content"')[1]
    assert "This is the only result for this test in the record so far." in page_text(response)


def test_an_unknown_loinc_code_links_to_medlineplus(cast, patient_client):
    resource = glucose(cast.patient, YESTERDAY) | {"code": coded(LOINC, "1234-5", "Rare test")}
    (row,) = store(cast.patient, resource)
    html = patient_client.get(detail_url(row)).content.decode()
    assert (
        'href="https://connect.medlineplus.gov/application?mainSearchCriteria.v.cs='
        "2.16.840.1.113883.6.1&amp;mainSearchCriteria.v.c=1234-5&amp;"
        'informationRecipient.languageCode.c=en"' in html
    )


def test_a_code_from_another_system_has_no_explanation(cast, patient_client):
    resource = glucose(cast.patient, YESTERDAY) | {"code": coded(SNOMED, "1", "Local test")}
    (row,) = store(cast.patient, resource)
    text = page_text(patient_client.get(detail_url(row)))
    assert "No explanation is available for this test." in text


def test_the_notes_cover_the_common_tests_in_a_sentence_or_two():
    assert len(set(NOTES)) >= 40
    for code in ("4548-4", "2345-7", "718-7", "2093-3", "3016-3", "1989-3", "2857-1", "6301-6"):
        note = str(NOTES[code])
        assert 20 < len(note) < 220 and note.count(".") <= 3, code
    assert note_for(LOINC, "4548-4").text.startswith("Shows the average blood sugar")
    assert note_for(LOINC, "9999-9").link == medlineplus_link("9999-9")
    assert note_for(SNOMED, "4548-4").text == note_for(SNOMED, "4548-4").link == ""


def test_panel_parts_and_comments_are_shown(cast, patient_client):
    resource = glucose(cast.patient, YESTERDAY) | {
        "note": [{"text": "Sample slightly haemolysed."}],
        "component": [
            {
                "code": coded(LOINC, "8480-6", "Systolic blood pressure"),
                "valueQuantity": {"value": 120, "unit": "mm[Hg]"},
            }
        ],
    }
    (row,) = store(cast.patient, resource)
    text = page_text(patient_client.get(detail_url(row)))
    assert "Systolic blood pressure 120 mmHg Normal range" in text
    assert "Comments Sample slightly haemolysed." in text


def test_the_ordering_clinician_comes_from_the_order(cast, patient_client):
    order = {
        "resourceType": "ServiceRequest",
        "id": next_id("order"),
        "status": "completed",
        "intent": "order",
        "code": coded(LOINC, "2345-7", "Glucose"),
        "subject": {"reference": f"Patient/{cast.patient.pk}"},
        "requester": {"reference": "Practitioner/dr-shah", "display": "Ravi Shah, DO"},
    }
    result = glucose(cast.patient, YESTERDAY) | {
        "basedOn": [{"reference": f"ServiceRequest/{order['id']}"}]
    }
    _order, row = store(cast.patient, order, result)
    text = page_text(patient_client.get(detail_url(row)))
    assert "Ordered by Ravi Shah, DO Done or reported by Maya Chen, MD" in text


def test_opening_a_result_marks_it_seen_and_is_audited(cast_with_records, patient_client):
    record = cast_with_records.record
    assert not seen(record.hba1c)
    patient_client.get(detail_url(record.hba1c))
    assert seen(record.hba1c)
    assert not seen(record.hemoglobin)
    event = AuditEvent.objects.filter(object_type="result").get()
    assert (event.action, event.object_id, event.patient) == (
        "view",
        str(record.hba1c.pk),
        cast_with_records.patient,
    )


def test_only_the_patient_themself_marks_results_seen(cast_with_records):
    record = cast_with_records.record
    someone_else = SimpleNamespace(
        acting=ActingContext(
            user=cast_with_records.clinician,
            patient=cast_with_records.patient,
            relationship=Relationship.STAFF,
        )
    )
    views._mark_seen_by_patient(someone_else, [record.hba1c.pk])  # type: ignore[arg-type]
    assert not seen(record.hba1c)


def test_another_patients_result_is_404_and_recorded_as_denied(cast_with_records, patient_client):
    other = cast_with_records.second_record.hba1c
    assert patient_client.get(detail_url(other)).status_code == 404
    assert not seen(other)
    event = AuditEvent.objects.filter(object_type="result").get()
    assert (event.outcome, event.patient) == ("denied", cast_with_records.second_patient)


def test_a_held_result_is_404(cast, patient_client):
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    (row,) = store(cast.patient, glucose(cast.patient, YESTERDAY))
    assert patient_client.get(detail_url(row)).status_code == 404


def test_a_report_is_not_a_result_page_and_a_result_is_not_a_report_page(
    cast_with_records, patient_client
):
    record = cast_with_records.record
    assert patient_client.get(detail_url(record.report)).status_code == 404
    assert patient_client.get(report_url(record.hba1c)).status_code == 404


def test_the_report_lists_its_results_and_marks_them_seen(cast_with_records, patient_client):
    record = cast_with_records.record
    response = patient_client.get(report_url(record.report))
    text = page_text(response)
    assert text.startswith(
        f"All test results Comprehensive metabolic panel Sample taken {day(YESTERDAY)} at "
        f"{clock(YESTERDAY, 9)} Report ready {day(YESTERDAY)} at {clock(YESTERDAY, 15)} "
        "Done or reported by Maya Chen, MD "
        "The 2 results in this report Test Result Normal range Flag "
        "Hemoglobin A1c New 7.2 % 4 to 5.6 % ▲ High Hemoglobin New 13.5 g/dL 12 to 15.5 g/dL "
        "Normal"
    )
    assert (seen(record.hba1c), seen(record.hemoglobin), seen(record.report)) == (True,) * 3
    assert not seen(cast_with_records.second_record.hba1c)


def test_a_report_with_held_results_counts_them_without_naming_them(cast, patient_client):
    shown = glucose(cast.patient, YESTERDAY, 92)
    cast.clinic.held_result_categories = ["pathology"]
    cast.clinic.save()
    hidden = lab_observation(
        cast.patient,
        code="88-1",
        display="Biopsy finding",
        value=1,
        unit="1",
        low=None,
        high=None,
        day=YESTERDAY,
        category=[{"coding": [{"code": "pathology"}]}],
    )
    report = {
        "resourceType": "DiagnosticReport",
        "id": next_id("report"),
        "status": "final",
        "code": coded(LOINC, "11502-2", "Laboratory report"),
        "subject": {"reference": f"Patient/{cast.patient.pk}"},
        "effectiveDateTime": shown["effectiveDateTime"],
        "result": [{"reference": f"Observation/{r['id']}"} for r in (shown, hidden)],
    }
    *_rows, report_row = store(cast.patient, shown, hidden, report)
    text = page_text(patient_client.get(report_url(report_row)))
    assert "1 result is waiting for your clinician to review it." in text
    assert "The result in this report" in text
    assert "Biopsy" not in text


def test_the_result_page_costs_the_same_queries_with_a_long_history(cast_with_records):
    small, large = Client(), Client()
    small.force_login(cast_with_records.second_patient_user)
    large.force_login(cast_with_records.patient_user)
    budget = query_count(small, detail_url(cast_with_records.second_record.hba1c))
    patient = cast_with_records.patient
    store(
        patient,
        *(
            lab_observation(
                patient,
                code="4548-4",
                display="Hemoglobin A1c",
                value=5 + n % 30 / 10,
                unit="%",
                low=4.0,
                high=5.6,
                day=TODAY - datetime.timedelta(days=3 + n),
            )
            for n in range(1000)
        ),
    )
    response_count = query_count(large, detail_url(cast_with_records.record.hba1c))
    assert response_count == budget
    response = large.get(detail_url(cast_with_records.record.hba1c))
    text = page_text(response)
    assert (
        "There are too many readings to tell apart at this size, so the chart draws 200 of the "
        "1002, keeping the highs and lows." in text
    )
    assert "The newest 20 of your 1002 results for this test" in text


def test_the_report_page_costs_a_constant_number_of_queries(cast_with_records):
    small, large = Client(), Client()
    small.force_login(cast_with_records.second_patient_user)
    large.force_login(cast_with_records.patient_user)
    budget = query_count(small, report_url(cast_with_records.second_record.report))
    add_many_results(cast_with_records.patient, 1000)
    assert query_count(large, report_url(cast_with_records.record.report)) == budget


def test_no_inline_styles_on_result_pages(cast_with_records, patient_client):
    record = cast_with_records.record
    for url in (detail_url(record.hba1c), report_url(record.report)):
        html: Any = patient_client.get(url).content.decode()
        assert re.search(r"\sstyle\s*=", html) is None


def test_the_record_menu_marks_test_results_on_a_result_page(cast_with_records, patient_client):
    html = patient_client.get(detail_url(cast_with_records.record.hba1c)).content.decode()
    nav = html.split('<nav class="record-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == ["Test results"]
