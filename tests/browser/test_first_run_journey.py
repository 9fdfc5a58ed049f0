"""From nothing to a live clinic, as the README's production steps go, in a real browser.

On an empty database in production mode: `carebridge setup` makes the clinic and its first
administrator; she chooses a password from the printed link and sets up two-step verification at
her first sign-in; she invites a clinician, who signs in with two-step verification too; she adds
the clinician, a visit type and weekly hours in the console; `carebridge import-fhir` brings in
a patient, whom she gives an activation code from the patient's page; the patient enrols and
books the visit. No Django admin anywhere, and axe-core checks every page on the way.
"""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from playwright.sync_api import BrowserContext, Page, expect
from pytest_django.fixtures import Settings

from carebridge.clinic.models import Clinic, Practitioner, StaffMember, StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.scheduling.models import Appointment
from carebridge.testing.browser import (
    assert_accessible_on_desktop_and_phone,
    assert_no_axe_violations,
    choose_a_time_past_the_soonest,
    totp_code,
)

ADMIN_EMAIL = "rosa.diaz@maple.example"
ADMIN_PASSWORD = "a long new password for Rosa"
CLINICIAN_EMAIL = "sam.okafor@maple.example"
CLINICIAN_PASSWORD = "Sam's own long password"
PATIENT_EMAIL = "lena.brooks@example.org"
PATIENT_PASSWORD = "Lena walks by the river"
VISIT = "Check-up"
SETUP = [
    "--clinic-name=Maple Street Health",
    "--time-zone=America/Chicago",
    "--phone=(312) 555-0142",
    "--address-line=400 Maple Street",
    "--city=Springfield",
    "--state=IL",
    "--postal-code=62704",
    f"--admin-email={ADMIN_EMAIL}",
    "--admin-given-name=Rosa",
    "--admin-family-name=Diaz",
    "--no-input",
]
PATIENT = {
    "resourceType": "Patient",
    "id": "lena",
    "identifier": [
        {
            "type": {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}
                ]
            },
            "system": "http://maple.example/mrn",
            "value": "MS-2001",
        }
    ],
    "name": [{"use": "official", "family": "Brooks", "given": ["Lena"]}],
    "gender": "female",
    "birthDate": "1941-06-02",
}
LINK = re.compile(r"https?://[^\s/]+(/account/[^\s]+/)")


@pytest.fixture
def fresh_production_install(settings: Settings) -> None:
    """An empty database as `migrate` leaves it (the role groups are its data), in production
    mode: the demo clinic is refused, so the clinic can only come from `carebridge setup`."""
    sync_role_groups(apps)
    settings.PRODUCTION = True
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())
    assert not Clinic.objects.exists()


def test_a_clinic_goes_live_from_an_empty_database(
    fresh_production_install: None, page: Page, context: BrowserContext, tmp_path: Path
) -> None:
    link = _run_setup()
    _choose_password_and_two_step(page, link, ADMIN_EMAIL, ADMIN_PASSWORD, "Rosa Diaz")
    _invite_the_clinician(page)
    clinician = context.browser.new_context(base_url=_base(page))  # type: ignore[union-attr]
    clinician_page = clinician.new_page()
    link = _link_in_mail(CLINICIAN_EMAIL)
    _choose_password_and_two_step(
        clinician_page, link, CLINICIAN_EMAIL, CLINICIAN_PASSWORD, "Sam Okafor"
    )
    clinician.close()
    _add_the_clinician(page)
    _add_the_visit_type(page)
    _add_weekly_hours(page)
    _import_the_patient(tmp_path)
    code = _issue_an_activation_code(page)
    patient = context.browser.new_context(base_url=_base(page))  # type: ignore[union-attr]
    patient_page = patient.new_page()
    _enrol(patient_page, code)
    _book(patient_page)
    patient.close()

    appointment = Appointment.objects.get()
    assert (appointment.patient.mrn, appointment.visit_type.name) == ("MS-2001", VISIT)
    assert appointment.practitioner.user is not None
    assert appointment.practitioner.user.email == CLINICIAN_EMAIL


def _base(page: Page) -> str:
    found = re.match(r"https?://[^/]+", page.url)
    assert found is not None
    return found.group(0)


def _run_setup() -> str:
    out = io.StringIO()
    call_command("setup", *SETUP, stdout=out)
    found = LINK.search(out.getvalue())
    assert found is not None, out.getvalue()
    return found.group(1)


def _link_in_mail(address: str) -> str:
    [message] = [sent for sent in mail.outbox if sent.to == [address]]
    found = LINK.search(str(message.body))
    assert found is not None, message.body
    return found.group(1)


def _choose_password_and_two_step(
    page: Page, link: str, email: str, password: str, name: str
) -> None:
    """Follow a one-time link to choose a password, sign in, and set up the authenticator app
    the console asks for before anything else; end on the console's landing page."""
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert_no_axe_violations(page)
    page.locator("input[name=password1]").fill(password)
    page.locator("input[name=password2]").fill(password)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("Email").fill(email)
    field = page.get_by_label("Password")
    field.fill(password)
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"/account/2fa/$"))
    expect(page.get_by_text("Your account needs two-step verification.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Set up an authenticator app").click()
    page.wait_for_url(re.compile(r"/account/(reauthenticate|2fa/totp/activate)/"))
    if "/account/reauthenticate/" in page.url:
        field = page.get_by_label("Password")
        field.fill(password)
        field.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    assert_no_axe_violations(page)
    secret = page.locator("dt:text-is('Setup key') + dd").inner_text().strip()
    code = page.get_by_label("Authenticator code")
    code.fill(totp_code(secret))
    code.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert_no_axe_violations(page)

    page.goto("/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic console")
    # The clinic's own name heads every page, and the person signed in is named.
    expect(page.get_by_role("banner")).to_contain_text("Maple Street Health")
    expect(page.get_by_role("banner")).to_contain_text(name)
    assert_accessible_on_desktop_and_phone(page)


def _open_setup_page(page: Page, title: str) -> None:
    page.goto("/staff/")
    page.get_by_role("link", name="Clinic set-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic set-up")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible_on_desktop_and_phone(page)


def _invite_the_clinician(page: Page) -> None:
    _open_setup_page(page, "Staff accounts")
    page.get_by_role("link", name="Invite a member of staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a member of staff")
    assert_no_axe_violations(page)
    page.get_by_label("E-mail address").fill(CLINICIAN_EMAIL)
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Clinician", exact=True).check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert_no_axe_violations(page)
    member = StaffMember.objects.get(user__email=CLINICIAN_EMAIL)
    assert (member.role, member.user.has_usable_password()) == (StaffRole.CLINICIAN, False)


def _add_the_clinician(page: Page) -> None:
    _open_setup_page(page, "Clinicians")
    page.get_by_role("link", name="Add a clinician").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a clinician")
    assert_no_axe_violations(page)
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Credentials").fill("MD")
    page.get_by_label("Specialty").fill("Family medicine")
    page.get_by_label("Main office").check()
    _choose_option(page, "Their staff account", "Sam Okafor")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinicians")
    expect(page.get_by_role("main")).to_contain_text("Sam Okafor, MD")
    assert_no_axe_violations(page)


def _choose_option(page: Page, label: str, words: str) -> None:
    """Choose the option of a select whose text contains `words`."""
    select = page.get_by_label(label)
    value = select.locator("option", has_text=words).get_attribute("value")
    assert value
    select.select_option(value)


def _add_the_visit_type(page: Page) -> None:
    _open_setup_page(page, "Visit types")
    page.get_by_role("link", name="Add a visit type").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a visit type")
    assert_no_axe_violations(page)
    page.get_by_label("Name patients see").fill(VISIT)
    page.get_by_label("Length in minutes").fill("30")
    page.get_by_label("How the visit happens").select_option(label="In person")
    page.get_by_label("Who may book it online").select_option(label="New and returning patients")
    page.get_by_label("Sam Okafor, MD").check()
    page.get_by_label("Main office").check()
    page.get_by_label("Offered").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit types")
    expect(page.get_by_role("main")).to_contain_text(VISIT)
    assert_no_axe_violations(page)


def _add_weekly_hours(page: Page) -> None:
    """Hours every day of the week, so that times can be booked whenever the test runs."""
    _open_setup_page(page, "Weekly hours")
    page.get_by_role("link", name="Sam Okafor, MD").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly hours of Sam Okafor, MD")
    assert_no_axe_violations(page)
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label("Day").select_option(label=day)
        page.get_by_label("Starts at").fill("00:00")
        page.get_by_label("Ends at").fill("23:59")
        page.get_by_role("button", name="Add these hours").click()
        expect(page.get_by_role("main")).to_contain_text(
            f"{day}: 12:00 a.m. to 11:59 p.m., Main office"
        )
    assert_accessible_on_desktop_and_phone(page)
    practitioner = Practitioner.objects.get()
    assert practitioner.weekly_hours.count() == 7


def _import_the_patient(folder: Path) -> None:
    path = folder / "lena.json"
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [{"fullUrl": "urn:uuid:lena", "resource": PATIENT}],
    }
    path.write_text(json.dumps(bundle))
    out = io.StringIO()
    call_command("import_fhir", str(path), stdout=out, stderr=io.StringIO())


def _issue_an_activation_code(page: Page) -> str:
    page.goto("/staff/")
    page.get_by_role("link", name="Patients", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Brooks, Lena").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lena Brooks")
    assert_accessible_on_desktop_and_phone(page)
    page.get_by_role("link", name="Issue activation code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portal activation code")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Issue a new activation code").click()
    expect(page.get_by_role("heading", name="Give this code to the patient")).to_be_visible()
    assert_no_axe_violations(page)
    return page.locator("p.code").inner_text().strip()


def _enrol(page: Page, code: str) -> None:
    page.goto("/account/enrol/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    assert_no_axe_violations(page)
    page.get_by_label("Activation code").fill(code)
    page.get_by_label("Your date of birth").fill("1941-06-02")
    page.get_by_label("Your date of birth").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your e-mail address")
    assert_no_axe_violations(page)
    page.get_by_label("Your e-mail address").fill(PATIENT_EMAIL)
    page.get_by_label("Your e-mail address").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_no_axe_violations(page)
    page.goto(_link_in_mail(PATIENT_EMAIL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a password")
    assert_no_axe_violations(page)
    page.get_by_label("Choose a password").fill(PATIENT_PASSWORD)
    page.get_by_label("Type the password again").fill(PATIENT_PASSWORD)
    page.get_by_label("Type the password again").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is ready")
    assert_no_axe_violations(page)


def _book(page: Page) -> None:
    page.goto("/")
    # The portal wears the clinic's name, not the software's.
    expect(page.get_by_role("banner")).to_contain_text("Maple Street Health")
    assert_no_axe_violations(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointments")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Book an appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    assert_no_axe_violations(page)
    page.get_by_label(VISIT).check()
    page.get_by_role("button", name="Next: choose a time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    assert_accessible_on_desktop_and_phone(page)
    choose_a_time_past_the_soonest(page)
    page.get_by_role("button", name="Next: check and confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_role("status")).to_have_text(
        "The appointment is booked. We have sent a confirmation e-mail."
    )
    assert_no_axe_violations(page)
    assert datetime.datetime.now(datetime.UTC) < Appointment.objects.get().starts_at
