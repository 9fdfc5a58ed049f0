"""Every page of a patient's portal in Spanish passes axe-core (WCAG 2.2 A/AA) at 1,280 and
375 px, says `lang="es"` and needs no sideways scrolling: the record (with ten years of
generated history), appointments, messages, bills, the account's pages and help. The patient
chose Spanish on their account, so the pages are Spanish from the first page after signing in.
One context, one sign-in."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

from carebridge.accounts.models import User
from carebridge.testing import factories
from carebridge.testing.browser import assert_no_axe_violations, assert_no_horizontal_scroll
from tests.browser.test_record_journey import EMAIL, RECORD_PAGES, _patient_with_a_record

SIZES: list[ViewportSize] = [{"width": 1280, "height": 900}, {"width": 375, "height": 812}]
OTHER_PAGES = [
    "/",
    "/record/results/",
    "/record/vitals/",
    "/record/download/",
    "/appointments/",
    "/appointments/book/",
    "/messages/",
    "/messages/new/",
    "/messages/requests/",
    "/billing/",
    "/account/",
    "/account/language/",
    "/account/activity/",
    "/account/notifications/",
    "/account/apps/",
]


def test_every_patient_page_in_spanish_passes_axe_at_both_widths(
    page: Page, tmp_path: Path
) -> None:
    patient = _patient_with_a_record(tmp_path)
    User.objects.filter(pk=patient.user_id).update(language="es")
    page.goto("/account/login/")
    page.locator("input[name=login]").fill(EMAIL)
    password = page.locator("input[name=password]")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    pages = [*RECORD_PAGES, *OTHER_PAGES, reverse("home:help")]
    for size in SIZES:
        page.set_viewport_size(size)
        for url in pages:
            page.goto(url)
            expect(page.locator("html")).to_have_attribute("lang", "es")
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_no_axe_violations(page)
            assert_no_horizontal_scroll(page)
