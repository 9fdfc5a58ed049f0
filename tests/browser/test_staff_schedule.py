"""The front desk's schedule in a real browser: from the console to the day, one appointment
marked arrived, then the week, the requests, blocked time and booking for a patient. axe-core
checks every page at 1,280 and at 320 px, where none may scroll sideways.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo

from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.scheduling.models import (
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    BookedAs,
    CheckIn,
    OnlineBooking,
)
from carebridge.scheduling.tests.factories import (
    make_appointment,
    make_hours,
    make_time_off,
    make_visit_type,
)
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    totp_code,
)


def _check(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def _clinic_with_a_day_of_appointments() -> tuple[User, Appointment]:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    location = factories.make_location(clinic, name="Main Street Office")
    doctor = factories.make_practitioner(clinic, given_name="Maya", family_name="Chen")
    doctor.locations.set([location])
    for weekday in range(7):
        make_hours(doctor, location, weekday, "08:00", "18:00")
    checkup = make_visit_type(
        clinic, practitioners=[doctor], locations=[location], name="Annual check-up"
    )
    procedure = make_visit_type(
        clinic,
        practitioners=[doctor],
        locations=[location],
        name="Minor procedure",
        online_booking=OnlineBooking.NOBODY,
    )
    rosa_user = factories.make_user(email="rosa@example.org", first_name="Rosa", last_name="Lind")
    rosa = factories.make_patient(
        clinic,
        user=rosa_user,
        given_name="Rosa",
        family_name="Lind",
        mrn="RFC-3001",
        birth_date=datetime.date(1950, 2, 2),
    )
    front_desk = factories.make_staff(
        clinic, StaffRole.FRONT_DESK, with_mfa=False, email="fran@example.org", first_name="Fran"
    )
    zone = zoneinfo.ZoneInfo(clinic.time_zone)
    today = timezone.now().astimezone(zone).date()
    noon = datetime.datetime.combine(today, datetime.time(12), tzinfo=zone)
    visit = make_appointment(rosa, checkup, doctor, location, noon, booked_by=front_desk)
    CheckIn.objects.create(
        appointment=visit,
        completed_at=timezone.now(),
        completed_by=rosa_user,
        completed_as=BookedAs.SELF,
        contact_confirmed=True,
        self_pay=True,
        allergies_confirmed=True,
        medications_confirmed=True,
        answers=[{"question": "Any new symptoms?", "answer": "No"}],
        copay_cents=2500,
    )
    soon = timezone.now() + datetime.timedelta(hours=1)
    make_time_off(clinic, soon, soon + datetime.timedelta(hours=1), note="Fire drill")
    AppointmentRequest.objects.create(
        patient=rosa,
        visit_type=procedure,
        reason="Mole on my arm",
        preferences="Mornings",
        created_by=rosa_user,
        booked_as=BookedAs.SELF,
    )
    return front_desk, visit


def sign_in_staff(page: Page, user: User) -> None:
    secret = factories.enable_totp(user)
    page.goto("/account/login/")
    page.get_by_label("Email").fill(user.email)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    code = page.get_by_label("Code", exact=True)
    code.fill(totp_code(secret))
    code.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/$"))


def test_front_desk_marks_a_patient_arrived_from_the_day_view(page: Page) -> None:
    front_desk, visit = _clinic_with_a_day_of_appointments()
    sign_in_staff(page, front_desk)
    page.get_by_role("link", name="Schedule and appointments").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Schedule:")
    expect(page.get_by_text("Checked in online")).to_be_visible()
    _check(page)

    page.get_by_role("link", name="Rosa Lind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointment for Rosa Lind")
    expect(page.get_by_text("Any new symptoms?")).to_be_visible()
    _check(page)
    page.get_by_role("button", name="Mark arrived").click()
    expect(page.locator(".messages")).to_contain_text("Marked as arrived.")
    _check(page)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.ARRIVED
    assert visit.status_changed_by == front_desk

    page.get_by_role("link", name="Week", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week of")
    _check(page)


def test_the_other_schedule_pages_pass_axe_and_reflow(page: Page) -> None:
    front_desk, _visit = _clinic_with_a_day_of_appointments()
    sign_in_staff(page, front_desk)

    page.goto("/staff/schedule/requests/")
    _check(page)
    page.get_by_role("link", name="Rosa Lind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request from Rosa Lind")
    _check(page)
    page.get_by_role("button", name="Decline the request").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page)

    page.goto("/staff/schedule/block/")
    _check(page)
    page.get_by_role("button", name="Block this time").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page)
    page.get_by_role("link", name=re.compile(r"^Remove")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove blocked time?")
    _check(page)

    page.goto("/staff/schedule/book/")
    _check(page)
    page.get_by_label("Find a patient").fill("Lind")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Lind, Rosa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book for Rosa Lind")
    page.get_by_label("Kind of visit", exact=True).select_option(label="Minor procedure")
    page.get_by_role("button", name="Show free times").click()
    expect(
        page.get_by_role("heading", name=re.compile("Free times for Minor procedure"))
    ).to_be_visible()
    _check(page)
