"""A patient's first visit in a real browser: the first sign-in leads to the set-up checklist,
"Check my details" saves a phone number and sends a new address to the clinic, "How to read a
result" opens the help page's results section, and the home page then says how far along the
patient is. axe-core finds nothing on each page at 1,280 px and at 320 px, where nothing scrolls
sideways."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from carebridge.testing import factories
from carebridge.testing.browser import assert_accessible_on_desktop_and_phone as _check

EMAIL = "rosa.lind@example.org"


def _new_patient() -> None:
    clinic = factories.make_clinic(
        name="Riverside Family Clinic",
        slug="riverside",
        phone="555-0100",
        address="1 River Road\nSpringfield, IL 62701",
        opening_hours="Monday to Friday, 8 am to 6 pm",
    )
    factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        birth_date=datetime.date(1939, 2, 11),
    )


def test_a_first_visit_goes_through_the_checklist(page: Page) -> None:
    _new_patient()
    page.goto("/account/login/")
    page.get_by_label("Email").fill(EMAIL)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    _check(page)

    page.get_by_role("link", name="Check my details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My details")
    _check(page)
    contact = page.get_by_role("region", name="Phone and address")
    contact.get_by_text("Change my phone or address").click()
    contact.get_by_label("Phone number").fill("555-201-3344")
    contact.get_by_label("Street address").fill("12 Elm Street")
    contact.get_by_label("City or town").fill("Springfield")
    contact.get_by_label("ZIP code").fill("62704")
    contact.get_by_role("button", name="Save my phone and address").click()
    expect(page.get_by_text("Waiting for the clinic to accept")).to_be_visible()
    _check(page)

    page.goto("/account/welcome/")
    page.get_by_role("button", name="How to read a result").click()
    expect(page).to_have_url(re.compile(r"/help/#results$"))
    expect(page.get_by_role("heading", name="How to read a test result")).to_be_visible()
    expect(page.locator(".clinic-phone")).to_have_text("555-0100")
    _check(page)

    page.goto("/account/welcome/")
    page.get_by_role("button", name="Skip for now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa Lind")
    expect(page.get_by_text("Finish setting up: 2 of 4 done")).to_be_visible()
    expect(page.get_by_role("link", name="Message the clinic")).to_be_visible()
    _check(page)
