"""Proxy access in a real browser: a patient invites a caregiver for appointments only; the
caregiver enrols from the e-mailed link, switches to the patient, sees her appointments but no
results (a results address is a 404); the patient ends the access and the caregiver's next
page load has lost it. axe-core checks every page on the way, at 1,280 and 320 px.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

from django.core import mail
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from carebridge.patients.models import Patient
from carebridge.proxies.models import GrantStatus, ProxyGrant
from carebridge.testing import factories, records
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    skip_the_set_up_checklist,
    switch_account,
)

PATIENT_EMAIL = "margaret.osei@example.org"
CAREGIVER_EMAIL = "kwame.osei@example.org"
NEW_PASSWORD = "blue kettle orchard 42"
DESKTOP = {"width": 1280, "height": 900}


def test_patient_invites_a_caregiver_for_appointments_then_ends_it(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    patient = _patient_with_a_result_and_an_appointment()
    _sign_in(page)
    link = _invite_for_appointments_only(page)

    # The caregiver, on their own device.
    their_browser = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    helper = their_browser.new_page()
    _enrol_from_the_link(helper, link)
    _switch_to(helper, "Margaret Osei")
    _see_appointments_but_not_results(helper)

    _end_access(page)
    _next_page_load_has_lost_access(helper)
    their_browser.close()
    grant = ProxyGrant.objects.get(patient=patient)
    assert (grant.status, grant.proxy.email) == (GrantStatus.REVOKED, CAREGIVER_EMAIL)


def _patient_with_a_result_and_an_appointment() -> Patient:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    patient = factories.make_patient(
        clinic,
        user=factories.make_user(email=PATIENT_EMAIL, first_name="Margaret", last_name="Osei"),
        given_name="Margaret",
        family_name="Osei",
        mrn="RFC-30001",
        birth_date=datetime.date(1941, 5, 20),
    )
    today = datetime.date.today()
    records.store(patient, records.hba1c(patient, value=6.1, day=today))
    start = datetime.datetime.combine(
        today + datetime.timedelta(days=9),
        datetime.time(10, 30),
        tzinfo=zoneinfo.ZoneInfo(clinic.time_zone),
    )
    records.store(patient, records.appointment(patient, start, kind="Diabetes check"))
    return patient


def _sign_in(page: Page) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").fill(PATIENT_EMAIL)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    skip_the_set_up_checklist(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Margaret Osei")


def _check(page: Page) -> None:
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size(DESKTOP)


def _invite_for_appointments_only(page: Page) -> str:
    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Caregivers: people who can help you").click()
    expect(page.get_by_role("heading", name="Caregivers: people who can help you")).to_be_visible()
    _check(page)
    page.get_by_role("link", name="Invite a caregiver").click()
    _check(page)
    page.get_by_label("Their e-mail address").fill(CAREGIVER_EMAIL)
    page.get_by_label("How are they related to you?").select_option("adult_child")
    page.get_by_label("Appointments", exact=True).check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text(CAREGIVER_EMAIL).first).to_be_visible()
    _check(page)
    (message,) = [m for m in mail.outbox if m.to == [CAREGIVER_EMAIL]]
    # The invitation names the patient who invites, and says nothing of anyone's health.
    assert message.subject == "[Carebridge] Margaret Osei has invited you to help with their care"
    assert "Margaret Osei has invited you to help them with their health care" in message.body
    match = re.search(r"https?://\S+/account/caregivers/accept/\S+/", message.body)
    assert match is not None
    return match.group(0)


def _enrol_from_the_link(page: Page, link: str) -> None:
    # The link's host is the portal's public address; the path is what matters here.
    page.goto("/account/" + link.split("/account/", 1)[1])
    expect(
        page.get_by_role("heading", name="You have been invited to help someone with their care")
    ).to_be_visible()
    expect(page.get_by_text("Margaret")).to_have_count(0)
    _check(page)
    page.get_by_label("First name").fill("Kwame")
    page.get_by_label("Last name").fill("Osei")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account and accept").click()
    expect(page.get_by_role("heading", name="Welcome, Kwame")).to_be_visible()
    _check(page)


def _switch_to(page: Page, name: str) -> None:
    switch_account(page, name)
    expect(page.get_by_text(f"Viewing {name}'s record")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Helping {name}")).to_be_visible()
    _check(page)


def _see_appointments_but_not_results(page: Page) -> None:
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Health record")).to_have_count(0)
    nav.get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", name="Margaret Osei's appointments")).to_be_visible()
    expect(page.get_by_text("Diabetes check")).to_be_visible()
    _check(page)
    response = page.goto("/record/results/")
    assert response is not None and response.status == 404
    _check(page)


def _end_access(page: Page) -> None:
    page.goto("/account/caregivers/")
    page.get_by_role("link", name="End access for Kwame Osei").click()
    _check(page)
    page.get_by_role("button", name="Yes, end their access").click()
    expect(page.get_by_role("heading", name="Caregivers: people who can help you")).to_be_visible()
    _check(page)


def _next_page_load_has_lost_access(page: Page) -> None:
    page.goto("/")
    expect(
        page.get_by_text(
            "Your access to help that person has ended. You are back in your own account."
        )
    ).to_be_visible()
    expect(page.get_by_text("Viewing Margaret Osei's record")).to_have_count(0)
    _check(page)
    response = page.goto("/appointments/")
    assert response is not None and response.status == 404
