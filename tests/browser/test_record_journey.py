"""The health record in a real browser: a patient opens a new result, reads its range and its
chart, looks at five years of blood pressure and downloads the CCD. axe-core checks every page
on the way, and every other page of the record once.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

from django.apps import apps
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from carebridge.clinic.models import Clinic, StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.demo.clinical import PractitionerRef, generate_record_bundle
from carebridge.demo.generator import PatientSpec
from carebridge.patients.models import Patient
from carebridge.records.identifiers import mrn_system
from carebridge.records.importing.pipeline import import_files
from carebridge.records.importing.readers import SourceFile
from carebridge.records.models import ClinicalResource, ImportJob, ImportStatus
from carebridge.testing import factories, records
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    skip_the_set_up_checklist,
)
from carebridge.testing.sample_record import build_sample_record

EMAIL = "june.halvorsen@example.org"


def test_patient_reads_a_new_result_sees_blood_pressure_and_downloads_the_ccd(
    page: Page, context: BrowserContext, browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    patient = _patient_with_a_record(tmp_path)
    sign_in(page)
    expect(page.get_by_text("You have 1 new test result.")).to_be_visible()
    assert_no_axe_violations(page)

    open_the_new_result(page)
    see_blood_pressure_over_five_years(page, browser, context, live_server)
    download_the_ccd(page, patient)


def _patient_with_a_record(tmp_path: Path) -> Patient:
    """An enrolled 66-year-old with ten years of generated history and one result from today."""
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    today = datetime.date.today()
    patient = factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="June", last_name="Halvorsen"),
        given_name="June",
        family_name="Halvorsen",
        mrn="RFC-20001",
        birth_date=today.replace(year=today.year - 66, day=1),
    )
    _import_generated_history(patient, tmp_path, today)
    records.store(
        patient,
        records.lab_observation(
            patient,
            code="2345-7",
            display="Glucose",
            value=131,
            unit="mg/dL",
            low=70,
            high=99,
            day=today,
            interpretation="H",
        ),
    )
    return patient


def _import_generated_history(patient: Patient, folder: Path, today: datetime.date) -> None:
    spec = PatientSpec(
        mrn=patient.mrn,
        given_name=patient.given_name,
        family_name=patient.family_name,
        birth_date=patient.birth_date,
        sex=patient.sex,
        phone="(518) 555-0142",
        address_line="12 Alder Lane",
        city="Riverside",
        state="NY",
        postal_code="12801",
        preferred_language="en",
        email=EMAIL,
    )
    bundle = generate_record_bundle(
        spec,
        mrn_system=mrn_system(patient.clinic),
        practitioners=[PractitionerRef("Maya", "Chen", "MD")],
        # The generated history ends a month ago, so the only new result is today's.
        today=today - datetime.timedelta(days=45),
    )
    path = folder / "june.json"
    path.write_text(json.dumps(bundle))
    summary = import_files(clinic=patient.clinic, files=[SourceFile(path=path, name="june.json")])
    assert summary.errors == []


def sign_in(page: Page) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").fill(EMAIL)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    skip_the_set_up_checklist(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome, June"))


def open_the_new_result(page: Page) -> None:
    page.get_by_role("link", name=re.compile("test results", re.I)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test results")
    assert_no_axe_violations(page)
    first_row = page.locator("table tbody tr").first
    expect(first_row).to_contain_text("Glucose")
    expect(first_row).to_contain_text("New")
    expect(first_row).to_contain_text("High")
    first_row.get_by_role("link", name=re.compile("Glucose")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Glucose")
    main = page.locator("main")
    expect(main).to_contain_text("131")
    expect(main).to_contain_text("70 to 99")
    expect(main).to_contain_text("High")
    chart = main.locator("svg[role='img']").first
    expect(chart).to_be_visible()
    # The chart's data is also a table, for those who cannot see the chart.
    main.get_by_text("Show the readings as a table").first.click()
    expect(main.locator("details table").first).to_be_visible()
    assert_no_axe_violations(page)
    # Opened by the patient herself: no longer new.
    page.goto("/")
    expect(page.get_by_text("You have 1 new test result.")).to_have_count(0)


def see_blood_pressure_over_five_years(
    page: Page, browser: Browser, context: BrowserContext, live_server: LiveServer
) -> None:
    page.goto("/record/vitals/")
    page.get_by_role("navigation", name="Time period").get_by_role(
        "link", name=re.compile("5 years")
    ).click()
    expect(page).to_have_url(re.compile(r"period=5y"))
    section = page.locator("section#blood-pressure")
    expect(section.get_by_role("heading", level=2)).to_have_text("Blood pressure")
    expect(section).to_contain_text("Your last blood pressure was")
    wide, narrow = section.locator(".chart-wide svg"), section.locator(".chart-narrow svg")
    expect(wide).to_be_visible()
    expect(narrow).to_be_hidden()
    assert_no_axe_violations(page)
    # The chart's axis spans the five years (the table beneath pages through every reading).
    chart_years = {int(year) for year in re.findall(r"\b(20\d\d)\b", _svg_text(wide))}
    assert min(chart_years) <= datetime.date.today().year - 4, chart_years
    expect(section.locator("details table caption")).to_contain_text("readings in this period")
    # At 320 px the phone's chart (the newest readings) takes its place and fits the width.
    page.set_viewport_size({"width": 320, "height": 800})
    expect(wide).to_be_hidden()
    expect(narrow).to_be_visible()
    box = narrow.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320, box
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def _svg_text(chart) -> str:  # type: ignore[no-untyped-def]
    return " ".join(text or "" for text in chart.locator("text").all_text_contents())


def download_the_ccd(page: Page, patient: Patient) -> None:
    page.get_by_role("link", name="Download or send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download or send your health record")
    assert_no_axe_violations(page)
    page.get_by_label(re.compile("C-CDA document")).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Get my record").click()
    download = download_info.value
    assert re.fullmatch(r"health-record-\d{4}-\d{2}-\d{2}\.xml", download.suggested_filename)
    document = Path(download.path()).read_text(encoding="utf-8")
    assert "<ClinicalDocument" in document
    assert 'code="2345-7"' in document
    assert patient.family_name in document
    page.goto("/account/activity/")
    expect(page.locator("main")).to_contain_text("Downloaded the health record")
    assert_no_axe_violations(page)


RECORD_PAGES = [
    "/record/",
    "/record/medications/",
    "/record/allergies/",
    "/record/problems/",
    "/record/immunizations/",
    "/record/visits/",
    "/record/procedures/",
    "/record/documents/",
    "/record/care-team/",
    "/record/care-plans/",
    "/record/download/print/",
    "/record/share/",
]


def test_every_record_page_passes_axe_and_reflows(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    patient = _patient_with_a_record(tmp_path)
    sign_in(page)
    visit = ClinicalResource.objects.filter(patient=patient, resource_type="Encounter").first()
    note = ClinicalResource.objects.filter(
        patient=patient, resource_type="DocumentReference"
    ).first()
    assert visit is not None and note is not None
    extra = [f"/record/visits/{visit.pk}/", f"/record/documents/{note.pk}/"]
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for url in [*RECORD_PAGES, *extra]:
            page.goto(url)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_no_axe_violations(page)
            assert_no_horizontal_scroll(page)


def test_staff_record_pages_pass_axe(page: Page, live_server: LiveServer) -> None:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = Clinic.objects.create(name="Riverside Family Clinic", slug="riverside")
    clinic.held_result_categories = ["laboratory"]
    clinic.save()
    patient = factories.make_patient(clinic)
    build_sample_record(patient)
    admin = factories.make_staff(
        clinic, StaffRole.CLINIC_ADMIN, with_mfa=False, email="ada@example.org"
    )
    clinician = factories.make_staff(
        clinic, StaffRole.CLINICIAN, with_mfa=False, email="casey@example.org"
    )
    warning = {
        "source": "ada.json",
        "position": "entry 2",
        "message": "Observation: a reference in 'performer' points to Practitioner/nope, which "
        "is neither in this file nor stored; it is kept as it was sent.",
    }
    job = ImportJob.objects.create(
        clinic=clinic,
        source="ada.json",
        status=ImportStatus.DONE,
        units_total=1,
        units_done=1,
        summary={
            "patients": 1,
            "resources": {"Observation": 1, "Patient": 1},
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "skipped": 0,
            "errors": [],
            "warnings": [warning],
        },
    )
    _sign_in_staff(page, admin)
    for url in ("/staff/imports/", "/staff/imports/matches/", f"/staff/imports/{job.pk}/"):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page)
    page.context.clear_cookies()
    _sign_in_staff(page, clinician)
    page.goto("/staff/results/held/")
    expect(page.locator("main")).to_contain_text(patient.mrn)
    assert_no_axe_violations(page)


def _sign_in_staff(page: Page, user) -> None:  # type: ignore[no-untyped-def]
    from carebridge.testing.browser import totp_code

    secret = factories.enable_totp(user)
    page.goto("/account/login/")
    page.get_by_label("Email").fill(user.email)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    code = page.get_by_label("Code", exact=True)
    code.fill(totp_code(secret))
    code.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/$"))
