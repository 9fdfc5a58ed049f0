"""The account overview and the list of sign-in sessions in a real browser: axe-core finds
nothing at 1,280 px and at 320 px, where neither page scrolls sideways (WCAG 1.4.10 Reflow)."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from carebridge.testing import factories
from carebridge.testing.browser import assert_accessible_on_desktop_and_phone as _check
from carebridge.testing.browser import sign_in_patient

# No hyphen or space to break at: the address must wrap anyway at 320 px.
EMAIL = "maximilian.longnamefairweather.fromriverside@example.org"


def _patient_with_a_long_address() -> None:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Max", last_name="Fairweather"),
        given_name="Max",
        family_name="Fairweather",
        birth_date=datetime.date(1961, 6, 1),
    )


def test_account_and_sessions_pages_pass_axe_and_reflow(page: Page) -> None:
    _patient_with_a_long_address()
    sign_in_patient(page, EMAIL, "Max Fairweather")

    page.goto("/account/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _check(page)
    page.goto("/account/sessions/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _check(page)
