"""Payment plans and insurance in a real browser: Rosa sets up a plan and sends new insurance
with photos of her card; Fran at the front desk checks it against the photos and accepts it.
axe-core checks every page at 1,280 and at 320 px, where nothing may scroll sideways."""

from __future__ import annotations

import io
from pathlib import Path

from django.apps import apps
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from carebridge.accounts.models import User
from carebridge.billing.services.charges import post_manual_charge
from carebridge.clinic.models import StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.core.actor import Actor
from carebridge.testing import factories
from carebridge.testing.browser import sign_in_patient
from tests.browser.test_staff_inbox import _check
from tests.browser.test_staff_schedule import sign_in_staff


def _card_photo(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (90, 56), colour).save(out, "PNG")
    return out.getvalue()


def _clinic_with_rosa_owing() -> User:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    rosa = factories.make_patient(
        clinic,
        user=factories.make_user(email="rosa@example.org", first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
    )
    fran = factories.make_staff(
        clinic, StaffRole.FRONT_DESK, with_mfa=False, email="fran@example.org", first_name="Fran"
    )
    post_manual_charge(
        actor=Actor(user=fran, acting_as="staff"),
        patient=rosa,
        service_date=rosa.created_at.date(),
        description="Office visit",
        amount_cents=10000,
    )
    return fran


def _rosa_sets_up_a_plan(page: Page) -> None:
    page.goto("/billing/plan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your payment plan")
    expect(page.get_by_text("You owe $100.00.")).to_be_visible()
    _check(page)
    page.get_by_label("3 months: $33.34 a month").check()
    page.get_by_role("button", name="Set up plan").click()
    expect(page.get_by_text("Your payment plan is set up.")).to_be_visible()
    expect(page.get_by_role("link", name="Pay this month's amount")).to_have_attribute(
        "href", "/billing/pay/?amount=3334"
    )
    expect(page.get_by_role("table")).to_contain_text("$33.33")
    _check(page)


def _rosa_sends_her_card(page: Page) -> None:
    page.goto("/billing/insurance/")
    expect(page.get_by_text("The clinic has no insurance on file for you.")).to_be_visible()
    _check(page)
    page.get_by_role("link", name="Add or change insurance").click()
    _check(page)
    page.get_by_label("Insurance company").fill("Blue Shield")
    page.get_by_label("Member ID").fill("XJ-1234")
    front = {"name": "front.png", "mimeType": "image/png", "buffer": _card_photo((20, 80, 160))}
    back = {"name": "back.png", "mimeType": "image/png", "buffer": _card_photo((200, 200, 200))}
    page.get_by_label("Photo of the front of the card").set_input_files(front)  # type: ignore[arg-type]
    page.get_by_label("Photo of the back of the card").set_input_files(back)  # type: ignore[arg-type]
    page.get_by_role("button", name="Send to the clinic").click()
    expect(page.get_by_text("Thank you. The clinic will check the new insurance.")).to_be_visible()
    expect(page.get_by_role("img", name="Photo of the front of the insurance card")).to_be_visible()
    _check(page)


def _fran_accepts(page: Page) -> None:
    page.get_by_role("link", name="Insurance changes to check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Insurance changes to check")
    _check(page)
    page.get_by_role("link", name="Rosa Lind").click()
    expect(page.get_by_role("img", name="Photo of the back of the insurance card")).to_be_visible()
    _check(page)
    page.get_by_label("Copay for a visit, in dollars (if the card shows one)").fill("25")
    page.get_by_role("button", name="Accept and use this insurance").click()
    expect(page.get_by_text("The insurance is accepted and now in use.")).to_be_visible()
    expect(page.get_by_text("No changes are waiting.")).to_be_visible()


def test_a_plan_and_a_card_that_the_front_desk_accepts(
    page: Page, browser: Browser, live_server: LiveServer, settings: Settings, tmp_path: Path
) -> None:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path
    fran = _clinic_with_rosa_owing()
    sign_in_patient(page, "rosa@example.org", "Rosa Lind")
    _rosa_sets_up_a_plan(page)
    _rosa_sends_her_card(page)

    desk = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        staff_page = desk.new_page()
        sign_in_staff(staff_page, fran)
        _fran_accepts(staff_page)
    finally:
        desk.close()

    page.goto("/billing/insurance/")
    expect(page.get_by_text("Insurance the clinic uses")).to_be_visible()
    expect(page.get_by_text("$25.00")).to_be_visible()
    _check(page)
