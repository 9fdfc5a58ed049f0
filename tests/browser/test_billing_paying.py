"""Paying in a real browser, checked by axe-core at 1,280 and 320 px: a patient pays part of a
statement with the test provider's card (and a declined card says so, with no balance change),
a caregiver with the billing scope pays for the patient, and a relative pays as a guest.
"""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from carebridge.billing.models import BillingAccount, Statement
from carebridge.billing.tests.paying import bill
from carebridge.patients.models import Patient
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_accessible_on_desktop_and_phone,
    sign_in_patient,
    switch_account,
)
from carebridge.testing.factories import TEST_PASSWORD
from carebridge.testing.proxy_personas import ALL_SCOPES, make_grant

EMAIL = "rosa.lind@example.org"


def _rosa_owes(cents: int) -> tuple[Patient, Statement]:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    rosa = factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        birth_date=datetime.date(1950, 2, 2),
        postal_code="01101",
    )
    return rosa, bill(rosa, cents)


def _balance(patient: Patient) -> int:
    return BillingAccount.objects.get(patient=patient).balance_cents


def test_a_patient_pays_part_of_a_statement_after_a_declined_card(page: Page) -> None:
    rosa, statement = _rosa_owes(12500)
    sign_in_patient(page, EMAIL, "Rosa Lind")

    page.goto(f"/billing/pay/?statement={statement.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Pay bill {statement.display_number}"
    )
    assert_accessible_on_desktop_and_phone(page)
    page.get_by_label("Another amount").check()
    page.get_by_label("Other amount, in dollars").fill("40")
    page.get_by_role("button", name="Continue to pay").click()

    expect(page.get_by_text("Test payment page — no real card is charged")).to_be_visible()
    expect(page.get_by_text("$40.00")).to_be_visible()
    assert_accessible_on_desktop_and_phone(page)
    page.get_by_label("Test card number").fill("4000 0000 0000 0002")
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your payment did not go through")
    expect(page.get_by_text("The card was declined.")).to_be_visible()
    assert_accessible_on_desktop_and_phone(page)
    assert _balance(rosa) == 12500

    page.get_by_role("link", name="Try again").click()
    page.get_by_label("Another amount").check()
    page.get_by_label("Other amount, in dollars").fill("40.50")
    page.get_by_role("button", name="Continue to pay").click()
    page.get_by_label("Test card number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, you have paid")
    expect(page.get_by_text("$40.50")).to_be_visible()
    assert_accessible_on_desktop_and_phone(page)
    assert _balance(rosa) == 8450


def test_a_relative_pays_a_statement_as_a_guest(page: Page) -> None:
    rosa, statement = _rosa_owes(8000)
    page.goto("/billing/guest/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay a bill without signing in")
    assert_accessible_on_desktop_and_phone(page)
    page.get_by_label("Statement number").fill(statement.display_number)
    page.get_by_label("Or the patient's ZIP code").fill("01102")
    page.get_by_role("button", name="Find the bill").click()
    expect(page.get_by_text("We could not find a bill to pay with these details.")).to_be_visible()
    assert_accessible_on_desktop_and_phone(page)

    page.get_by_label("Or the patient's ZIP code").fill("01101")
    page.get_by_role("button", name="Find the bill").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay Riverside Family Clinic")
    expect(page.get_by_text("$80.00")).to_be_visible()
    expect(page.get_by_text("Rosa")).to_have_count(0)
    assert_accessible_on_desktop_and_phone(page)
    page.get_by_label("Amount to pay, in dollars").fill("80")
    page.get_by_label("Your e-mail address, for the receipt").fill("son@example.org")
    page.get_by_role("button", name="Continue to pay").click()
    page.get_by_label("Test card number").fill("4242424242424242")
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, you have paid")
    expect(page.get_by_role("main").get_by_text("Riverside Family Clinic")).to_be_visible()
    assert_accessible_on_desktop_and_phone(page)
    assert _balance(rosa) == 0


def test_a_caregiver_with_the_billing_scope_pays_for_the_patient(page: Page) -> None:
    rosa, _statement = _rosa_owes(5000)
    kwame = factories.make_user(email="kwame@example.org", first_name="Kwame", last_name="Lind")
    assert rosa.user is not None
    make_grant(rosa, kwame, granted_by=rosa.user, scopes=ALL_SCOPES)
    page.goto("/account/login/")
    page.get_by_label("Email").fill("kwame@example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_label("Password").press("Enter")
    switch_account(page, "Rosa Lind")
    expect(page.get_by_text("Viewing Rosa Lind's record")).to_be_visible()

    page.goto("/billing/pay/")
    expect(page.get_by_label("Everything you owe: $50.00")).to_be_checked()
    assert_accessible_on_desktop_and_phone(page)
    page.get_by_role("button", name="Continue to pay").click()
    page.get_by_label("Test card number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Pay", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, you have paid")
    assert _balance(rosa) == 0
