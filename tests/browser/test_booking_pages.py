"""The booking pages in a real browser, checked by axe-core at 1,280 and 320 px: choose a
visit type, a time, confirm, see the appointment, and open the cancel and request pages.
(Issue 5's full journey, with the e-mails, the waitlist and check-in, comes with those.)
"""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from carebridge.scheduling.models import OnlineBooking
from carebridge.scheduling.tests.factories import make_hours, make_visit_type
from carebridge.testing import factories
from carebridge.testing.browser import assert_no_axe_violations, assert_no_horizontal_scroll

EMAIL = "rosa.lind@example.org"


def _check(page: Page) -> None:
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def _clinic_with_hours() -> None:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    location = factories.make_location(clinic, name="Main Street Office")
    doctor = factories.make_practitioner(clinic, given_name="Maya", family_name="Chen")
    for weekday in range(7):
        make_hours(doctor, location, weekday, "08:00", "18:00")
    make_visit_type(clinic, practitioners=[doctor], locations=[location], name="Annual check-up")
    make_visit_type(
        clinic,
        practitioners=[doctor],
        locations=[location],
        name="Minor procedure",
        online_booking=OnlineBooking.NOBODY,
    )
    factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        birth_date=datetime.date(1950, 2, 2),
    )


def test_booking_pages_pass_axe_and_reflow(page: Page) -> None:
    _clinic_with_hours()
    page.goto("/account/login/")
    page.get_by_label("Email").fill(EMAIL)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa Lind")

    page.goto("/appointments/")
    _check(page)
    page.goto("/appointments/book/")
    _check(page)
    page.get_by_label("Annual check-up").check()
    page.get_by_role("button", name="Next: choose a time").click()
    expect(page.get_by_role("heading", name="Choose a time")).to_be_visible()
    _check(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Next: check and confirm").click()
    expect(page.get_by_role("heading", name="Check and confirm")).to_be_visible()
    _check(page)
    page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_text("Maya Chen").first).to_be_visible()
    _check(page)
    detail = page.url
    page.goto(detail + "cancel/")
    _check(page)
    page.goto(detail + "reschedule/")
    _check(page)
    page.goto("/appointments/request/")
    _check(page)
