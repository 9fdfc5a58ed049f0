"""Issue 18's Spanish journey in a real browser: a patient switches the sign-in page to
Español, signs in, reads a test result, books an appointment and writes a message, all in
Spanish: every page says `lang="es"` and passes axe-core (WCAG 2.2 A/AA) at 1,280 and 375 px.
One browser context, one sign-in. The Spanish words come from the catalogue, so the test checks
the pages use it (and that each word checked really differs from the English)."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, ViewportSize, expect

from carebridge.accounts.models import User
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.messaging.models import CareTeam, Thread
from carebridge.patients.models import Patient
from carebridge.scheduling.models import Appointment
from carebridge.scheduling.tests.factories import make_hours, make_visit_type
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    choose_a_time_past_the_soonest,
    skip_the_set_up_checklist,
)
from carebridge.testing.records import hba1c, store

EMAIL = "lucia.torres@example.org"
VISIT = "Chequeo anual"
SUBJECT = "Pregunta sobre mi resultado"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 812}


def spanish(english: str) -> str:
    """The catalogue's Spanish for `english`, which must be translated."""
    with translation.override("es"):
        words = gettext(english)
    assert words != english, f"not translated: {english!r}"
    return words


def _check(page: Page) -> None:
    """The page is in Spanish and passes axe at 1,280 and at 375 px (nothing sideways)."""
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size(DESKTOP)


def _clinic_and_patient() -> Patient:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(
        name="Riverside Family Clinic", slug="riverside", time_zone="America/New_York"
    )
    location = factories.make_location(clinic, name="Main Street Office")
    doctor = factories.make_practitioner(clinic, given_name="Maya", family_name="Chen")
    for weekday in range(7):
        make_hours(doctor, location, weekday, "00:00", "23:59")
    make_visit_type(
        clinic, practitioners=[doctor], locations=[location], name=VISIT, min_lead_hours=2
    )
    team = CareTeam.objects.create(clinic=clinic, name="Medicina familiar")
    team.practitioners.add(doctor)
    patient = factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Lucía", last_name="Torres"),
        given_name="Lucía",
        family_name="Torres",
        email=EMAIL,
        birth_date=datetime.date(1941, 5, 9),
    )
    store(patient, hba1c(patient, datetime.date(2026, 11, 30), 7.2))
    return patient


def test_a_spanish_speaker_signs_in_reads_a_result_books_and_writes_a_message(
    page: Page,
) -> None:
    patient = _clinic_and_patient()

    page.goto("/account/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    _check(page)

    page.locator("input[name=login]").fill(EMAIL)
    password = page.locator("input[name=password]")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    welcome = spanish("Welcome, %(name)s") % {"name": "Lucía Torres"}
    skip_the_set_up_checklist(page, "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(welcome)
    _check(page)

    page.goto("/record/results/")
    _check(page)
    page.get_by_role("link", name="Hemoglobin A1c").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hemoglobin A1c")
    _check(page)

    page.goto("/appointments/book/")
    _check(page)
    page.get_by_label(VISIT).check()
    page.get_by_role("button", name=spanish("Next: choose a time")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(spanish("Choose a time"))
    _check(page)
    choose_a_time_past_the_soonest(page)
    page.get_by_role("button", name=spanish("Next: check and confirm")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(spanish("Check and confirm"))
    _check(page)
    page.get_by_role("button", name=spanish("Book this appointment")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(spanish("Your appointment"))
    _check(page)
    assert Appointment.objects.filter(patient=patient).count() == 1

    page.goto("/messages/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text(spanish("Write a message"))
    _check(page)
    # "What is it about?": a question about a result; the portal picks the team.
    page.get_by_label(spanish("A question about a result")).check()
    page.locator("input[name=subject]").fill(SUBJECT)
    page.locator("textarea[name=body]").fill("¿Qué significa mi resultado de A1c?")
    page.get_by_role("button", name=spanish("Send the message")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    _check(page)
    assert Thread.objects.filter(patient=patient, subject=SUBJECT).count() == 1
    # Switched before signing in: the browser's cookie carried the choice, not the account.
    assert User.objects.get(email=EMAIL).language == ""
