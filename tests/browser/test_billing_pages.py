"""The patient's billing pages in a real browser, checked by axe-core at 1,280 and 320 px: the
home panel, the summary, a statement in plain words, the printable statement, the history and
a receipt."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from carebridge.billing.tests.bills import make_pats_bills, recently
from carebridge.clinic.models import Location
from carebridge.testing import factories
from carebridge.testing.browser import assert_accessible_on_desktop_and_phone as _check
from carebridge.testing.browser import sign_in_patient

EMAIL = "rosa.lind@example.org"


def _rosa_with_bills() -> None:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    clinic.phone = "555-0100"
    clinic.save(update_fields=["phone"])
    Location.objects.create(
        clinic=clinic,
        name="Main",
        address_line="1 River Road",
        city="Springfield",
        state="IL",
        postal_code="62701",
    )
    rosa = factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        birth_date=datetime.date(1950, 2, 2),
    )
    make_pats_bills(rosa, issued=recently())


def test_a_patient_reads_her_bills_and_prints_a_statement(page: Page) -> None:
    _rosa_with_bills()
    sign_in_patient(page, EMAIL, "Rosa Lind")
    expect(page.get_by_role("region", name="Bills")).to_contain_text("Balance: $50.00")
    _check(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bills").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bills")
    expect(page.get_by_text("Balance: $50.00")).to_be_visible()
    expect(page.get_by_role("link", name="Pay statement 1234-5678-90")).to_be_visible()
    _check(page)

    page.get_by_role("link", name="Statement 1234-5678-90", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statement 1234-5678-90")
    expect(page.get_by_text("Your insurance paid $114.00.")).to_be_visible()
    expect(page.get_by_text("Part of this visit is waiting for your insurance.")).to_be_visible()
    _check(page)

    page.get_by_role("link", name="Print this bill").click()
    expect(page.get_by_role("button", name="Print this bill")).to_be_visible()
    expect(page.get_by_text("Amount enclosed")).to_be_visible()
    _check(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("heading", name="Send this part with your payment")).to_be_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Back to the bill").click()
    page.get_by_role("link", name="Receipt R000000001").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Payment receipt")
    _check(page)

    page.goto("/billing/history/")
    expect(page.get_by_text("Charge of $15.00 — Copy of records")).to_be_visible()
    _check(page)
