"""The health summary and the home page's results panel: exact blocks, honest empty states,
held results counted, audit, and a budget that does not grow with the record."""

from __future__ import annotations

import datetime
import html as html_module
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from carebridge.audit.models import AuditEvent
from carebridge.proxies.acting import ActingContext, Relationship
from carebridge.records.panels import results_panel
from carebridge.records.tests.test_results_list import (
    TODAY,
    YESTERDAY,
    add_many_results,
    day,
    glucose,
    query_count,
)
from carebridge.testing.records import SNOMED, coded, next_id, store, subject

pytestmark = pytest.mark.django_db

SUMMARY = reverse("records:summary")
A_MONTH_AGO = TODAY - datetime.timedelta(days=30)


def block(response: Any, name: str) -> str:
    """The text of one block of the summary."""
    html = response.content.decode()
    part = html.split(f'aria-labelledby="summary-{name}"', 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part.split(">", 1)[1]).split())


def problem(patient: Any, name: str, onset: str) -> dict[str, Any]:
    return {
        "resourceType": "Condition",
        "id": next_id("cond"),
        "clinicalStatus": coded(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "active"
        ),
        "code": coded(SNOMED, "1", name),
        "subject": subject(patient),
        "onsetDateTime": onset,
    }


def test_pats_summary_shows_each_block_exactly(cast_with_records, patient_client):
    response = patient_client.get(SUMMARY)
    five_years = TODAY.replace(year=TODAY.year - 5)
    assert block(response, "problems") == (
        f"Health problems Hypertension since {date_format(five_years, 'F Y')} "
        "See health problems, past and present"
    )
    assert block(response, "medications") == (
        "Medicines you take Lisinopril 10 MG Oral Tablet Take 1 tablet by mouth once a day "
        "See medicines, past and present"
    )
    assert block(response, "allergies") == ("Allergies Penicillin Hives (moderate) See allergies")
    flu_day = TODAY.replace(year=TODAY.year - 1, month=10, day=15)
    assert block(response, "immunizations") == (
        f"Recent immunizations Influenza, seasonal, injectable {day(flu_day)} See all immunizations"
    )
    assert block(response, "vitals") == (
        f"Latest vital signs Blood pressure 128/82 mmHg on {day(A_MONTH_AGO)} "
        # The clinic shows US customary units (the default), the recorded value beside.
        f"Weight 159.8 lb (72.5 kg) on {day(A_MONTH_AGO)} See vital signs over time"
    )
    two_years = TODAY - datetime.timedelta(days=730)
    assert block(response, "results") == (
        f"Recent test results Hemoglobin A1c New 7.2 %, {day(YESTERDAY)} ▲ High "
        f"Hemoglobin New 13.5 g/dL, {day(YESTERDAY)} Normal "
        f"Hemoglobin A1c 6.1 %, {day(two_years)} ▲ High See all test results"
    )


def test_each_block_links_to_its_page(cast_with_records, patient_client):
    html = patient_client.get(SUMMARY).content.decode()
    for name in ("problems", "medications", "allergies", "immunizations", "vitals", "results"):
        assert f'href="{reverse(f"records:{name}")}"' in html


def test_another_patients_record_never_appears(cast_with_records, patient_client):
    second = cast_with_records.second_record
    html = patient_client.get(SUMMARY).content.decode()
    assert f"/record/results/{second.hba1c.pk}/" not in html


def test_an_empty_record_says_so_plainly(cast, patient_client):
    response = patient_client.get(SUMMARY)
    assert block(response, "allergies") == (
        "Allergies No allergies are recorded. If you have one, tell your clinic. See allergies"
    )
    assert "No current health problems are recorded." in block(response, "problems")
    assert "No current medicines are recorded. If you take any, tell your clinic." in block(
        response, "medications"
    )
    assert "No vital signs are recorded yet." in block(response, "vitals")
    assert "There are no test results in your record yet." in block(response, "results")


def test_a_long_problem_list_shows_eight_and_links_to_all(cast, patient_client):
    store(
        cast.patient,
        *(problem(cast.patient, f"Problem {n}", f"20{10 + n}-01-01") for n in range(9)),
    )
    text = block(patient_client.get(SUMMARY), "problems")
    assert text.count("Problem ") == 8
    assert "Problem 8" in text and "Problem 0" not in text
    assert text.endswith("See all health problems")


def test_held_results_are_counted_in_a_line(cast, patient_client):
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    store(cast.patient, glucose(cast.patient, YESTERDAY), glucose(cast.patient, TODAY))
    html = patient_client.get(SUMMARY).content.decode()
    assert (
        '<p class="notice">2 results are waiting for your clinician to review them. They will '
        "appear here once they have.</p>" in html
    )
    assert "Glucose" not in html


def test_viewing_the_summary_is_audited(cast_with_records, patient_client):
    patient_client.get(SUMMARY)
    event = AuditEvent.objects.filter(object_type="record_summary").get()
    assert (event.action, event.patient, event.acting_as) == (
        "view",
        cast_with_records.patient,
        "self",
    )


def test_the_summary_costs_the_same_queries_for_any_record_size(cast_with_records):
    small, large = Client(), Client()
    small.force_login(cast_with_records.second_patient_user)
    large.force_login(cast_with_records.patient_user)
    budget = query_count(small, SUMMARY)
    patient = cast_with_records.patient
    add_many_results(patient, 1000)
    store(patient, *(problem(patient, f"Problem {n}", "2015-01-01") for n in range(200)))
    assert query_count(large, SUMMARY) == budget
    assert re.search(r"\sstyle\s*=", large.get(SUMMARY).content.decode()) is None


def panel_text(response: Any) -> str:
    html = response.content.decode()
    part = html.split(">Test results</h2>", 1)[1].split("</section>", 1)[0]
    return html_module.unescape(" ".join(re.sub(r"<[^>]+>", " ", part).split()))


def test_the_home_panel_counts_new_results(cast_with_records, patient_client):
    response = patient_client.get(reverse("home:home"))
    # Pat's two new results are one report: it counts once.
    assert panel_text(response) == "You have 1 new test result. See all test results"
    assert '<a href="/record/results/">See all test results</a>' in response.content.decode()


def test_the_home_panel_counts_held_results_and_says_when_nothing_is_new(cast, patient_client):
    assert panel_text(patient_client.get(reverse("home:home"))) == (
        "You have no new test results. See all test results"
    )
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    store(cast.patient, glucose(cast.patient, YESTERDAY))
    assert panel_text(patient_client.get(reverse("home:home"))) == (
        "1 result is waiting for your clinician's review. See all test results"
    )


def test_no_panel_for_someone_with_no_record_to_act_on(cast):
    request = SimpleNamespace(
        acting=ActingContext(user=cast.clinician, relationship=Relationship.STAFF)
    )
    assert results_panel(request) is None  # type: ignore[arg-type]


def test_the_record_menu_lists_every_section_and_marks_the_summary(
    cast_with_records, patient_client
):
    html = patient_client.get(SUMMARY).content.decode()
    nav = html.split('<nav class="record-nav"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+)</a></li>', nav)
    assert [(url, label) for url, _current, label in links] == [
        ("/record/", "Summary"),
        ("/record/results/", "Test results"),
        ("/record/vitals/", "Vital signs"),
        ("/record/medications/", "Medications"),
        ("/record/allergies/", "Allergies"),
        ("/record/problems/", "Health problems"),
        ("/record/immunizations/", "Immunizations"),
        ("/record/visits/", "Visits"),
        ("/record/procedures/", "Procedures"),
        ("/record/documents/", "Documents and notes"),
        ("/record/care-team/", "Care team"),
        ("/record/care-plans/", "Goals and care plans"),
        ("/record/download/", "Download or send"),
    ]
    assert [label for _url, current, label in links if current] == ["Summary"]
