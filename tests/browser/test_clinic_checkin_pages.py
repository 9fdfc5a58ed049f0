"""Online check-in for an appointment the clinic booked in its own system, in Chromium: the
appointment's page, the check-in form (empty, with its errors, then sent), the page saying
"Checked in online", and the front desk's day showing it, each passing axe at 1,280 and 320 px
with nothing scrolling sideways."""

from __future__ import annotations

import datetime
import zoneinfo

from django.apps import apps
from playwright.sync_api import Page, expect

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.records.models import ClinicalResource
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    skip_the_set_up_checklist,
)
from carebridge.testing.records import appointment, store
from tests.browser.test_staff_schedule import sign_in_staff

EMAIL = "rosa.lind@example.org"


def _check(page: Page) -> None:
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def _rosa_and_fran() -> tuple[ClinicalResource, User, datetime.date]:
    """Rosa's follow-up the clinic booked in its own system for tomorrow at 3 p.m. (check-in
    open), and Fran at the front desk; the visit's day on the clinic's calendar."""
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    rosa = factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        birth_date=datetime.date(1950, 2, 2),
    )
    fran = factories.make_staff(
        clinic, StaffRole.FRONT_DESK, with_mfa=False, email="fran@example.org", first_name="Fran"
    )
    zone = zoneinfo.ZoneInfo(clinic.time_zone)
    day = datetime.datetime.now(zone).date() + datetime.timedelta(days=1)
    afternoon = datetime.datetime.combine(day, datetime.time(15), tzinfo=zone)
    (resource,) = store(rosa, appointment(rosa, afternoon, place="Main Street Office"))
    return resource, fran, day


def test_clinic_booked_check_in_pages_pass_axe_and_reflow(page: Page) -> None:
    resource, fran, day = _rosa_and_fran()
    page.goto("/account/login/")
    page.get_by_label("Email").fill(EMAIL)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    skip_the_set_up_checklist(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa Lind")

    page.goto(f"/appointments/clinic/{resource.api_id}/")
    _check(page)
    page.get_by_role("link", name="Check in online").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in for your appointment")
    _check(page)
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page)
    page.get_by_label("These are right").check()
    page.get_by_label("I do not have insurance / I will pay myself").check()
    page.get_by_role("group", name="Are these allergies right?").get_by_label(
        "This list is right"
    ).check()
    page.get_by_role("group", name="Are these medicines right?").get_by_label(
        "This list is right"
    ).check()
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_text("You are checked in. Thank you.")).to_be_visible()
    expect(page.locator(".checkin-done")).to_contain_text("Checked in online on")
    _check(page)

    page.context.clear_cookies()
    sign_in_staff(page, fran)
    page.goto(f"/staff/schedule/?date={day.isoformat()}")
    expect(
        page.get_by_role(
            "heading", name="Checked in online for appointments booked in the clinic's own system"
        )
    ).to_be_visible()
    expect(page.locator(".clinic-check-ins h3")).to_have_text("3:00 p.m.: Rosa Lind")
    page.get_by_text("The check-in answers").click()
    _check(page)
