"""The chart in the console: the record's own pages, for clinicians and nurses, read-only,
with the patient banner, links that stay in the chart, and the cost of the patient's pages.

Cast: Casey (clinician) and Nora (nurse) hold `clinic.view_chart`; Pat has the sample record
(`testing/sample_record.py`: an HbA1c of 7.2 % flagged high yesterday, and the rest).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.records.models import ClinicalResource
from carebridge.records.tests.test_results_list import add_many_results
from carebridge.staff.tests.chart_setup import all_chart_urls, chart_url
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

# (the page's heading, words the page shows from Pat's sample record), by chart page.
EXPECTED = {
    "summary": ("Health summary", "Medicines Pat Patient takes Lisinopril 10 MG Oral Tablet"),
    "results": (
        "Test results",
        "Test results of Pat Patient, newest first (2 tests and reports) Test Date Result "
        "Needs attention Comprehensive metabolic panel New",
    ),
    "vitals": ("Vital signs", "Blood pressure Last blood pressure: 128/82 on"),
    "medications": ("Medications", "Active medicines Lisinopril 10 MG Oral Tablet"),
    "allergies": ("Allergies", "Current allergies Penicillin High risk Reaction Hives (moderate)"),
    "immunizations": ("Immunizations", "Influenza, seasonal, injectable batch (lot) FLU-2291"),
    "problems": ("Health problems", "Current problems Hypertension Status Current"),
    "procedures": ("Procedures", "Procedures of Pat Patient, newest first (1 in all)"),
    "visits": ("Visits", "Visits of Pat Patient, newest first (1 in all)"),
    "documents": ("Documents and notes", "Documents and notes of Pat Patient, newest first"),
    "care-team": ("Care team", "Maya Chen, MD Primary care physician"),
    "care-plans": ("Goals and care plans", "Goals Blood pressure below 130/80"),
    "result-detail": ("Hemoglobin A1c", "Result 7.2 % Normal range 4 to 5.6 % Flag ▲ High"),
    "report-detail": (
        "Comprehensive metabolic panel",
        "Hemoglobin A1c New 7.2 % 4 to 5.6 % ▲ High Hemoglobin New 13.5 g/dL 12 to 15.5 g/dL "
        "Normal",
    ),
    "test-trend": ("Hemoglobin A1c over time", "2 readings, newest first"),
    "visit-detail": ("Check-up on", "Reason for the visit Yearly check-up"),
    "document-detail": (
        "Progress note",
        "What it says Blood pressure a little high today. Keep taking lisinopril; recheck in 3 "
        "months.",
    ),
}
# Links every page of the site frame has: the brand, My account, Help, signing out and the
# language switch.
FRAME_LINKS = {"/", "/account/", "/help/", "/account/logout/", "/account/language/switch/"}


def record_text(response: Any) -> str:
    """The record area's visible text, tags removed and spaces collapsed."""
    assert response.status_code == 200
    html = response.content.decode().split('<div class="record-content">', 1)[1]
    html = html.split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def heading(response: Any) -> str:
    found = re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S)
    assert found is not None
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def links(response: Any) -> list[str]:
    """Every link and form target on the page."""
    html = response.content.decode()
    return re.findall(r'<a [^>]*href="([^"]*)"', html) + re.findall(r'action="([^"]*)"', html)


@pytest.mark.parametrize("persona", ["clinician", "nurse"])
def test_clinicians_and_nurses_open_every_chart_page_with_pats_record(
    cast_with_records: Cast, persona: str
) -> None:
    client = client_for(getattr(cast_with_records, persona))
    for name, url in all_chart_urls(cast_with_records).items():
        response = client.get(url)
        title, words = EXPECTED[name]
        assert heading(response).startswith(title), name
        assert words in record_text(response), name


def test_every_link_on_a_chart_page_stays_in_the_chart_or_the_console(
    cast_with_records: Cast,
) -> None:
    client = client_for(cast_with_records.clinician)
    chart = f"/staff/patients/{cast_with_records.patient.pk}/chart/"
    for name, url in all_chart_urls(cast_with_records).items():
        for link in links(client.get(url)):
            assert (
                link.startswith((chart, "/staff/", "?", "#", "https://medlineplus.gov/"))
                or link in FRAME_LINKS
            ), (name, link)


def test_the_record_menu_leads_through_the_chart_without_download(cast_with_records: Cast) -> None:
    response = client_for(cast_with_records.nurse).get(chart_url(cast_with_records, "results"))
    chart = f"/staff/patients/{cast_with_records.patient.pk}/chart/"
    menu = response.content.decode().split('<nav class="record-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', menu) == [
        (chart, "Summary"),
        (f"{chart}results/", "Test results"),
        (f"{chart}vitals/", "Vital signs"),
        (f"{chart}medications/", "Medications"),
        (f"{chart}allergies/", "Allergies"),
        (f"{chart}problems/", "Health problems"),
        (f"{chart}immunizations/", "Immunizations"),
        (f"{chart}visits/", "Visits"),
        (f"{chart}procedures/", "Procedures"),
        (f"{chart}documents/", "Documents and notes"),
        (f"{chart}care-team/", "Care team"),
        (f"{chart}care-plans/", "Goals and care plans"),
    ]
    assert 'aria-current="page">Test results</a>' in menu
    assert '<h2 class="record-nav-title">Health record of Pat Patient</h2>' in menu


def test_every_chart_page_shows_the_patient_banner_and_the_staff_navigation(
    cast_with_records: Cast,
) -> None:
    patient = cast_with_records.patient
    client = client_for(cast_with_records.clinician)
    for name, url in all_chart_urls(cast_with_records).items():
        html = client.get(url).content.decode()
        banner = html.split('<section class="patient-banner" aria-label="Patient">', 1)[1]
        banner = banner.split("</section>", 1)[0]
        text = " ".join(re.sub(r"<[^>]+>", " ", banner).split())
        assert text == (
            "Pat Patient Date of birth March 14, 1956 Medical record number RFC-1001 Back to Pat "
            "Patient's page You are reading this record as clinic staff. It cannot be changed "
            "here."
        ), name
        assert f'<a href="/staff/patients/{patient.pk}/">' in banner
        site_nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
        assert re.findall(r">([^<>]+)</a>", site_nav) == ["Clinic console", "My account", "Help"]
        assert "Your health record" not in html, name


def test_no_heading_on_a_chart_page_addresses_the_staff_member_as_the_patient(
    cast_with_records: Cast,
) -> None:
    client = client_for(cast_with_records.clinician)
    for name, url in all_chart_urls(cast_with_records).items():
        # The page's own content ("Are you still there?" rightly asks the staff member).
        html = client.get(url).content.decode().split("<main", 1)[1].split("</main>", 1)[0]
        headings = re.findall(r"<(h[1-4]|caption|dt)\b[^>]*>(.*?)</\1>", html, re.S)
        words = [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for _tag, text in headings]
        assert [w for w in words if re.search(r"\b(your|you)\b", w, re.I)] == [], name
    vitals = record_text(client.get(chart_url(cast_with_records, "vitals")))
    assert "Your last" not in vitals


def test_chart_pages_offer_no_download_print_share_or_refill(cast_with_records: Cast) -> None:
    client = client_for(cast_with_records.clinician)
    for name, url in all_chart_urls(cast_with_records).items():
        html = client.get(url).content.decode()
        for words in ("Download", "Print", "Send a health summary", "Ask for a refill"):
            assert words not in html, (name, words)
        assert "/record/" not in html, name


@pytest.mark.parametrize("path", ["download/", "download/print/", "share/"])
def test_the_chart_has_no_pages_that_take_a_copy_out(cast_with_records: Cast, path: str) -> None:
    url = chart_url(cast_with_records, "summary") + path
    assert client_for(cast_with_records.clinician).get(url).status_code == 404


def test_the_patients_own_pages_keep_their_own_links_and_title(
    cast_with_records: Cast, patient_client: Client
) -> None:
    html = patient_client.get(reverse("records:result-detail", args=[_hba1c(cast_with_records).pk]))
    page = html.content.decode()
    assert '<h2 class="record-nav-title">Your health record</h2>' in page
    assert "patient-banner" not in page
    assert '<a href="/record/results/">All test results</a>' in page
    assert "/staff/" not in page


def _hba1c(cast: Cast) -> ClinicalResource:
    assert cast.record is not None
    return cast.record.hba1c


@pytest.mark.parametrize("name", ["result-detail", "report-detail"])
def test_staff_opening_a_new_result_does_not_mark_it_seen(
    cast_with_records: Cast, patient_client: Client, name: str
) -> None:
    hba1c = _hba1c(cast_with_records)
    response = client_for(cast_with_records.clinician).get(chart_url(cast_with_records, name))
    assert response.status_code == 200
    hba1c.refresh_from_db()
    assert hba1c.seen_at is None
    # The patient still sees it as new, and her own opening marks it seen.
    # (Its report's row, which groups it, is new.)
    results = record_text(patient_client.get(reverse("records:results")))
    assert "Comprehensive metabolic panel New" in results
    patient_client.get(reverse("records:result-detail", args=[hba1c.pk]))
    hba1c.refresh_from_db()
    assert hba1c.seen_at is not None


def _queries(client: Client, url: str, budget: int, assert_max: Any) -> int:
    client.get(url)  # warm the caches (content types, the session) first
    with assert_max(budget) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("name", "budget"), [("results", 24), ("vitals", 19)])
def test_results_and_vitals_cost_the_same_however_large_the_record(
    cast_with_records: Cast,
    patient_client: Client,
    django_assert_max_num_queries: Any,
    name: str,
    budget: int,
) -> None:
    client = client_for(cast_with_records.nurse)
    url = chart_url(cast_with_records, name)
    small = _queries(client, url, budget, django_assert_max_num_queries)
    patients = _queries(
        patient_client, reverse(f"records:{name}"), budget, django_assert_max_num_queries
    )
    add_many_results(cast_with_records.patient, 60)
    assert _queries(client, url, budget, django_assert_max_num_queries) == small
    # The chart costs what the patient's own page costs, and more: the patient named in the
    # address and the staff member's permissions (their own and their role's); the results'
    # counts too, which are kept between requests only for the patient's side (issue 19).
    assert small == patients + {"results": 4, "vitals": 3}[name]


def test_a_clinician_who_is_a_patient_too_keeps_her_own_record_in_the_navigation(
    cast: Cast,
) -> None:
    factories.make_patient(cast.clinic, user=cast.clinician, given_name="Casey")
    client = client_for(cast.clinician)
    console = client.get(reverse("staff:console")).content.decode()
    site_nav = console.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", site_nav) == [
        "Home",
        "My record",
        "Appointments",
        "Messages",
        "Bills",
        "Clinic console",
        "My account",
        "Help",
    ]
    chart = client.get(reverse("staff:chart-summary", args=[cast.patient.pk])).content.decode()
    site_nav = chart.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", site_nav) == ["Clinic console", "My account", "Help"]
