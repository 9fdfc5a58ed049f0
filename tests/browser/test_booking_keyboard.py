"""Booking an appointment with the keyboard alone, on a 375 px phone: Tab and Shift+Tab to
move, Space to choose, the arrow keys within a group of times, Enter to follow a link or press
a button. The appointment is then checked in the database. One sign-in keeps it cheap."""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from carebridge.scheduling.models import Appointment
from carebridge.scheduling.tests.factories import make_hours, make_visit_type
from carebridge.testing import factories
from carebridge.testing.browser import assert_no_axe_violations, assert_no_horizontal_scroll

EMAIL = "rosa.lind@example.org"
# More Tab presses than any page here has focusable things before the one wanted.
MAX_TABS = 120

FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el) return "";
  const labelled = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return (labelled || el.innerText || el.value || "").trim();
}"""


def _clinic_with_hours() -> None:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    location = factories.make_location(clinic, name="Main Street Office")
    doctor = factories.make_practitioner(clinic, given_name="Maya", family_name="Chen")
    for weekday in range(7):
        make_hours(doctor, location, weekday, "08:00", "18:00")
    make_visit_type(clinic, practitioners=[doctor], locations=[location], name="Annual check-up")
    factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        birth_date=datetime.date(1950, 2, 2),
    )


def tab_to(page: Page, starts_with: str, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused control's name starts with `starts_with`."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        if page.evaluate(FOCUSED_NAME).startswith(starts_with):
            return
    raise AssertionError(f"Tabbing never reached {starts_with!r}")


def tab_to_control(page: Page, selector: str) -> None:
    """Press Tab until the focused element matches the CSS `selector`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tabbing never reached {selector!r}")


def test_rosa_books_with_the_keyboard_only_on_a_phone(page: Page) -> None:
    _clinic_with_hours()
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/account/login/")
    page.get_by_label("Email").fill(EMAIL)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    # Her first sign-in: the set-up checklist, skipped with the keyboard too.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    tab_to(page, "Skip for now")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa Lind")

    page.goto("/appointments/")
    tab_to(page, "Book an appointment")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")

    # Step 1: the kind of visit with Space, the reason typed, then the button with Enter.
    tab_to(page, "Annual check-up")
    page.keyboard.press("Space")
    expect(page.get_by_label("Annual check-up")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Yearly check")
    tab_to(page, "Next: choose a time")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    assert_no_horizontal_scroll(page)

    # Step 2: the first time with Space, the next one with an arrow key, back with Shift+Tab.
    tab_to(page, "Show times")
    tab_to_control(page, 'input[type="radio"][name="time"]')
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("() => document.activeElement.value")
    expect(page.locator(f'input[type="radio"][value="{chosen}"]')).to_be_checked()
    tab_to(page, "Next: check and confirm")
    page.keyboard.press("Shift+Tab")
    tab_to(page, "Next: check and confirm")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm")
    assert_no_axe_violations(page)

    # Step 3: book with Enter on the button.
    tab_to(page, "Book this appointment")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    assert_no_horizontal_scroll(page)

    booked = Appointment.objects.get()
    assert booked.patient.user is not None
    assert booked.patient.user.email == EMAIL
    assert (
        booked.starts_at.isoformat()
        == datetime.datetime.fromisoformat(chosen.split("_", 2)[2])
        .astimezone(datetime.UTC)
        .isoformat()
    )
    assert booked.reason == "Yearly check"
