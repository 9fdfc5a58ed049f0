"""The booking pages in a real browser, checked by axe-core at 1,280 and 320 px: choose a
visit type, a time, confirm, see the appointment, and open the cancel and request pages.
(Issue 5's full journey, with the e-mails, the waitlist and check-in, comes with those.)
"""

from __future__ import annotations

import datetime

from playwright.sync_api import Page, expect

from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.scheduling.models import OnlineBooking, WaitlistEntry, WaitlistOffer
from carebridge.scheduling.tests.factories import make_hours, make_visit_type
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    choose_a_time_past_the_soonest,
    skip_the_set_up_checklist,
)
from carebridge.testing.records import appointment, store

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
    make_visit_type(
        clinic,
        practitioners=[doctor],
        locations=[location],
        name="Annual check-up",
        copay_cents=2500,
        checkin_questions="Any new symptoms?",
    )
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
    skip_the_set_up_checklist(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa Lind")

    page.goto("/appointments/")
    _check(page)
    page.goto("/appointments/book/")
    _check(page)
    page.get_by_label("Annual check-up").check()
    page.get_by_role("button", name="Next: choose a time").click()
    expect(page.get_by_role("heading", name="Choose a time")).to_be_visible()
    _check(page)
    choose_a_time_past_the_soonest(page)
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
    # The soonest time is within the check-in window: the form, then its errors.
    page.goto(detail + "check-in/")
    _check(page)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page)
    page.goto("/appointments/request/")
    _check(page)
    # An appointment the clinic booked in its own system: its page, and asking to move it.
    page.goto(f"/appointments/clinic/{_clinic_booked().api_id}/")
    _check(page)
    page.get_by_role("link", name="Ask the clinic to cancel or move it").click()
    _check(page)
    page.get_by_label("Move it to another time").check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Requested", exact=True)).to_be_visible()
    _check(page)
    # The waiting list: to move the appointment earlier, then for a new booking from the times
    # page; the list on the appointments page, leaving it, and an offer of an earlier time.
    page.goto(detail + "waitlist/")
    _check(page)
    page.get_by_role("button", name="Put me on the waiting list").click()
    expect(page.get_by_role("heading", name="Waiting list")).to_be_visible()
    _check(page)
    page.goto("/appointments/book/")
    page.get_by_label("Annual check-up").check()
    page.get_by_role("button", name="Next: choose a time").click()
    page.get_by_role("link", name="None of these times suit me? Join the waiting list").click()
    _check(page)
    page.get_by_role("button", name="Put me on the waiting list").click()
    page.goto(f"/appointments/offers/{_offer_an_earlier_time().pk}/")
    _check(page)
    page.goto("/appointments/")
    page.get_by_role("link", name="Take me off the list").first.click()
    _check(page)


def _clinic_booked() -> ClinicalResource:
    """A follow-up the clinic booked for Rosa in its own system, next week."""
    patient = Patient.objects.get(user__email=EMAIL)
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    (resource,) = store(patient, appointment(patient, start, place="Main Street Office"))
    return resource


def _offer_an_earlier_time() -> WaitlistOffer:
    """An open offer, as the waiting list makes one, of tomorrow at 8 to Rosa's first entry."""
    entry = WaitlistEntry.objects.select_related("visit_type").order_by("created_at").first()
    assert entry is not None
    tomorrow = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    return WaitlistOffer.objects.create(
        entry=entry,
        practitioner=entry.visit_type.practitioners.get(),
        location=entry.visit_type.locations.get(),
        starts_at=tomorrow.replace(hour=13, minute=0, second=0, microsecond=0),
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2),
    )
