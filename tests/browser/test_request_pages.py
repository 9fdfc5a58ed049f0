"""The patient's requests from the record in a real browser, checked by axe-core at 1,280 and
320 px: the empty list, the chooser, the refill form (with its errors, then sent), the request's
page, and the list again."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from carebridge.testing import factories
from carebridge.testing.browser import assert_accessible_on_desktop_and_phone as _check
from carebridge.testing.browser import sign_in_patient
from carebridge.testing.records import medication_request, store

EMAIL = "rosa.lind@example.org"
MEDICINE = "Metformin Hydrochloride 500 MG Extended Release Oral Tablet"


def _patient_taking_a_medicine() -> None:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    rosa = factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        birth_date=datetime.date(1950, 2, 2),
    )
    store(rosa, medication_request(rosa, MEDICINE))


def test_request_pages_pass_axe_and_reflow(page: Page) -> None:
    _patient_taking_a_medicine()
    sign_in_patient(page, EMAIL, "Rosa Lind")

    page.goto("/messages/")
    page.get_by_role("link", name="Refill, referral and records requests").click()
    expect(page.get_by_text("There are no requests yet.")).to_be_visible()
    _check(page)
    page.get_by_role("link", name="Make a new request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What would you like to ask for?")
    _check(page)
    page.get_by_role("link", name="A prescription refill").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for a refill")
    _check(page)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page)

    page.get_by_label(MEDICINE).check()
    page.get_by_label("Pharmacy").fill("Main Street Pharmacy, Riverside")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prescription refill")
    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    expect(page.get_by_text("Not yet").first).to_be_visible()
    _check(page)
    page.get_by_role("link", name="Back to the requests").click()
    expect(page.get_by_role("link", name="Prescription refill")).to_be_visible()
    _check(page)
