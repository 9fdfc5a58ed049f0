"""Vital signs: the latest of each in words, charts with bands, periods, thinning, paging, and a
query budget that holds for twenty years of readings."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.records.tests.test_results_list import TODAY, day, page_text, query_count
from carebridge.testing.clients import client_for
from carebridge.testing.records import blood_pressure, coded, store, vital

pytestmark = pytest.mark.django_db

VITALS = reverse("records:vitals")
A_MONTH_AGO = TODAY - datetime.timedelta(days=30)


def section(response: Any, key: str) -> str:
    html = response.content.decode()
    return html.split(f'<section id="{key}"', 1)[1].split("</section>", 1)[0]


def section_text(response: Any, key: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", section(response, key).split(">", 1)[1]).split())


def add_blood_pressures(patient: Any, count: int, years: int = 20) -> None:
    """`count` readings spread evenly over `years` years, ending yesterday (bulk stored)."""
    span = years * 365 - 2
    store(
        patient,
        *(
            blood_pressure(
                patient,
                systolic=110 + n % 35,
                diastolic=70 + n % 20,
                day=TODAY - datetime.timedelta(days=2 + span * n // count),
            )
            for n in range(count)
        ),
    )


def test_the_latest_readings_are_told_in_words(cast_with_records, patient_client):
    response = patient_client.get(VITALS)
    assert section_text(response, "blood-pressure").startswith(
        f"Blood pressure Your last blood pressure was 128/82 on {day(A_MONTH_AGO)}."
    )
    assert section_text(response, "weight").startswith(
        f"Weight Your last weight was 159.8 lb (72.5 kg) on {day(A_MONTH_AGO)}."
    )
    assert section_text(response, "bmi") == (
        "Body mass index (BMI) There are no readings of this in the period you chose. Choose "
        "“All readings” above to look further back."
    )


def test_a_caregiver_reads_the_latest_readings_by_the_patients_name(cast_with_records):
    cast = cast_with_records
    response = client_for(cast.proxies.full_caregiver, cast.patient).get(VITALS)
    assert page_text(response).startswith(
        "Vital signs Blood pressure, weight, body mass index and heart rate, as measured at "
        "clinic visits."
    )
    # The page escapes the apostrophe (Pat&#x27;s); a reader hears "Pat's".
    assert html.unescape(section_text(response, "blood-pressure")).startswith(
        f"Blood pressure Pat's last blood pressure was 128/82 on {day(A_MONTH_AGO)}."
    )
    assert html.unescape(section_text(response, "weight")).startswith(
        f"Weight Pat's last weight was 159.8 lb (72.5 kg) on {day(A_MONTH_AGO)}."
    )


def test_blood_pressure_has_two_lines_and_both_normal_bands(cast_with_records, patient_client):
    # The wide chart (the phone's chart follows it).
    svg = section(patient_client.get(VITALS), "blood-pressure").split('class="chart-narrow"')[0]
    assert svg.count('class="chart-band"') == 2
    assert "Normal upper number: below 120" in svg and "Normal lower number: below 80" in svg
    assert svg.count('class="chart-series"') == 2
    # One reading on each line, and one sample point for each line in the legend.
    assert svg.count('class="chart-point"') == 4
    assert (
        f"1 blood pressure reading, on {day(A_MONTH_AGO)}. The most recent was 128/82 on "
        f"{day(A_MONTH_AGO)}. The shaded bands show normal: upper number below 120, lower "
        "number below 80.</desc>" in svg
    )


def test_the_readings_table_compares_with_normal(cast_with_records, patient_client):
    text = section_text(patient_client.get(VITALS), "blood-pressure")
    assert (
        "Show the readings as a table (Blood pressure) Blood pressure: 1 reading in this period, "
        "newest first Date Reading Compared with normal (below 120/80) "
        f"{day(A_MONTH_AGO)} 128/82 mmHg ▲ Above normal" in text
    )


def test_synthea_vital_sign_panels_count_as_blood_pressure(cast, patient_client):
    panel = blood_pressure(cast.patient, systolic=118, diastolic=76, day=A_MONTH_AGO)
    panel["code"] = coded("http://loinc.org", "55284-4", "Blood pressure systolic and diastolic")
    store(cast.patient, panel)
    text = section_text(patient_client.get(VITALS), "blood-pressure")
    assert f"Your last blood pressure was 118/76 on {day(A_MONTH_AGO)}." in text
    assert "118/76 mmHg Normal" in text


def test_periods_choose_how_far_back(cast, patient_client):
    three_years = TODAY - datetime.timedelta(days=3 * 365)
    store(
        cast.patient,
        vital(
            cast.patient,
            code="8867-4",
            display="Heart rate",
            value=64,
            unit="/min",
            day=three_years,
        ),
        vital(
            cast.patient, code="39156-5", display="BMI", value=26.4, unit="kg/m2", day=A_MONTH_AGO
        ),
    )
    default = patient_client.get(VITALS)
    last_year = patient_client.get(VITALS, {"period": "1y"})
    assert section_text(default, "heart-rate").startswith(
        f"Heart rate Your last heart rate was 64 beats a minute on {day(three_years)}."
    )
    assert "There are no readings of this in the period you chose." in section_text(
        last_year, "heart-rate"
    )
    assert section_text(last_year, "bmi").startswith(
        f"Body mass index (BMI) Your last body mass index (BMI) was 26.4 on {day(A_MONTH_AGO)}."
    )
    assert '<a href="?period=5y" aria-current="page">' in default.content.decode()


def test_an_empty_record_says_there_are_no_readings(cast, patient_client):
    response = patient_client.get(VITALS, {"period": "all"})
    assert section_text(response, "weight") == "Weight There are no readings of this in the record."


def test_twenty_years_of_readings_stay_readable(cast, patient_client):
    add_blood_pressures(cast.patient, 1200)
    response = patient_client.get(VITALS, {"period": "all"})
    wide, narrow = section(response, "blood-pressure").split('class="chart-narrow"')
    # Each line is thinned to 200 points (plus the legend's two samples); the phone's chart
    # draws the newest 12 of each line.
    assert wide.count('class="chart-point"') == 2 * 200 + 2
    assert narrow.count('class="chart-point"') == 2 * 12 + 2
    assert "The chart shows the newest 12 readings of the 1200." in narrow
    text = section_text(response, "blood-pressure")
    assert "so the chart draws 200 of the 1200" in text
    assert "Blood pressure: 1200 readings in this period, newest first" in text
    assert "Page 1 of 48" in text
    assert '<details class="readings">' in section(response, "blood-pressure")


def test_a_table_page_link_opens_that_table_at_its_page(cast, patient_client):
    add_blood_pressures(cast.patient, 60, years=2)
    response = patient_client.get(VITALS, {"period": "all", "blood-pressure-page": "3"})
    html = section(response, "blood-pressure")
    assert '<details class="readings" open>' in html
    assert "Page 3 of 3" in section_text(response, "blood-pressure")
    assert (
        'href="?period=all&amp;blood-pressure-page=2#blood-pressure" rel="prev">Newer readings'
        in html
    )
    assert "open" not in section(response, "weight")


def test_viewing_vitals_is_audited(cast_with_records, patient_client):
    patient_client.get(VITALS)
    event = AuditEvent.objects.filter(object_type="vitals").get()
    assert (event.action, event.patient) == ("view", cast_with_records.patient)


def test_vitals_cost_the_same_queries_for_one_or_2400_readings(cast_with_records):
    small, large = Client(), Client()
    small.force_login(cast_with_records.second_patient_user)
    large.force_login(cast_with_records.patient_user)
    url = f"{VITALS}?period=all"
    budget = query_count(small, url)
    add_blood_pressures(cast_with_records.patient, 1200)
    store(
        cast_with_records.patient,
        *(
            vital(
                cast_with_records.patient,
                code="29463-7",
                display="Body weight",
                value=70 + n % 5,
                unit="kg",
                day=TODAY - datetime.timedelta(days=3 + n * 6),
            )
            for n in range(1200)
        ),
    )
    assert query_count(large, url) == budget
    assert re.search(r"\sstyle\s*=", large.get(url).content.decode()) is None


def test_page_text_helper_sees_the_page_heading(cast_with_records, patient_client):
    assert page_text(patient_client.get(VITALS)).startswith(
        "Vital signs Blood pressure, weight, body mass index and heart rate"
    )


def test_readings_under_two_codes_are_one_series_in_date_order(cast, patient_client):
    # Weight comes as "body weight" (29463-7) or "body weight measured" (3141-9); the page
    # reads each code's rows in turn and must still list and draw them by date.
    days = [TODAY - datetime.timedelta(days=n) for n in (40, 30, 20, 10)]
    store(
        cast.patient,
        *(
            vital(cast.patient, code=code, display="Weight", value=value, unit="kg", day=when)
            for code, value, when in zip(
                ("29463-7", "3141-9", "29463-7", "3141-9"), (70, 71, 72, 73), days, strict=True
            )
        ),
    )
    response = patient_client.get(VITALS)
    text = section_text(response, "weight")
    assert f"Your last weight was 160.9 lb (73 kg) on {day(days[3])}." in text
    assert (
        f"{day(days[3])} 160.9 lb (73 kg) {day(days[2])} 158.7 lb (72 kg) "
        f"{day(days[1])} 156.5 lb (71 kg) {day(days[0])} 154.3 lb (70 kg)" in text
    )
    path = re.search(r'class="chart-line" d="M ([^"]+)"', section(response, "weight"))
    assert path is not None
    xs = [float(step.split()[0]) for step in path.group(1).split(" L ")]
    assert xs == sorted(xs) and len(xs) == 4


def test_a_moment_is_read_from_the_stored_text():
    from django.db import connection

    from carebridge.records.selectors.trends import moment_reader

    read = moment_reader("default")
    utc = datetime.UTC
    if connection.vendor == "sqlite":
        # SQLite keeps UTC text without an offset.
        assert read("2024-10-15 09:30:00") == datetime.datetime(2024, 10, 15, 9, 30, tzinfo=utc)
        assert read("2024-10-15 09:30:00.250000") == datetime.datetime(
            2024, 10, 15, 9, 30, 0, 250000, tzinfo=utc
        )
    else:
        # PostgreSQL's text has its offset.
        assert read("2024-10-15 09:30:00+00") == datetime.datetime(2024, 10, 15, 9, 30, tzinfo=utc)


def test_moments_come_out_as_django_gives_them(cast):
    from carebridge.records.models import ClinicalResource
    from carebridge.records.selectors.trends import moment_column, moment_reader

    precise = blood_pressure(cast.patient, systolic=120, diastolic=80, day=TODAY)
    precise["effectiveDateTime"] = "2025-03-04T10:15:30.25+02:00"
    store(cast.patient, precise, blood_pressure(cast.patient, systolic=1, diastolic=2, day=TODAY))
    rows = ClinicalResource.objects.filter(patient=cast.patient).order_by("effective_at")
    read = moment_reader(rows.db)
    pairs = list(rows.values_list("effective_at", moment_column()))
    assert [when for when, _text in pairs] == [
        datetime.datetime(2025, 3, 4, 8, 15, 30, 250000, tzinfo=datetime.UTC),
        datetime.datetime.combine(TODAY, datetime.time(9), tzinfo=datetime.UTC),
    ]
    assert [read(text) for _when, text in pairs] == [when for when, _text in pairs]
