"""The patient's messaging pages in a real browser, checked by axe-core at 1,280 and 320 px:
the empty list, writing (with its errors), the conversation with a file, and the list again."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from carebridge.messaging.models import Attachment, CareTeam, Thread
from carebridge.testing import factories
from carebridge.testing.browser import assert_accessible_on_desktop_and_phone as _check
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    sign_in_patient,
)

EMAIL = "rosa.lind@example.org"


@pytest.fixture(autouse=True)
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.CAREBRIDGE_ATTACHMENT_DIR


def _clinic_with_a_team() -> None:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    doctor = factories.make_practitioner(clinic, given_name="Maya", family_name="Chen")
    team = CareTeam.objects.create(clinic=clinic, name="Family medicine")
    team.practitioners.add(doctor)
    factories.make_patient(
        clinic,
        user=factories.make_user(email=EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        birth_date=datetime.date(1950, 2, 2),
    )


def test_messaging_pages_pass_axe_and_reflow(page: Page, tmp_path: Path) -> None:
    _clinic_with_a_team()
    sign_in_patient(page, EMAIL, "Rosa Lind")

    page.goto("/messages/")
    expect(page.get_by_text("There are no messages yet.")).to_be_visible()
    _check(page)
    page.get_by_role("link", name="Write a message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a message")
    _check(page)
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page)

    photo = tmp_path / "arm.png"
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, format="PNG")
    photo.write_bytes(out.getvalue())
    page.get_by_label("Something else").check()
    page.get_by_label("Subject").fill("Rash on my arm")
    page.get_by_label("Message", exact=True).fill("It started on Monday.\nIt itches.")
    page.get_by_label("Files").set_input_files(str(photo))
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rash on my arm")
    expect(page.get_by_text("Your message is sent.")).to_be_visible()
    expect(page.get_by_role("link", name="arm.png")).to_be_visible()
    _check(page)
    page.get_by_role("button", name="Send the reply").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page)

    page.goto("/messages/")
    expect(page.get_by_role("link", name="Rash on my arm")).to_be_visible()
    _check(page)


# The focused control's name as its label (or its own text) gives it.
FOCUSED_NAME = """() => {
  const e = document.activeElement;
  return (e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText || "").trim();
}"""


def _tab_to(page: Page, name: str, most: int = 40) -> None:
    """Press Tab until the control called `name` has the focus, as a keyboard user would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        focused: str = page.evaluate(FOCUSED_NAME)
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r} on {page.url}")


def test_a_message_is_written_and_sent_with_the_keyboard_alone_on_a_phone(
    browser: Browser, live_server: LiveServer
) -> None:
    """At 375 px, with the keyboard alone: write a message choosing what it is about (the
    portal picks the team), attach nothing, send it, and open the conversation from the list."""
    _clinic_with_a_team()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        sign_in_patient(page, EMAIL, "Rosa Lind")
        page.goto("/messages/")
        _tab_to(page, "Write a message")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Write a message")
        assert_no_horizontal_scroll(page)
        assert_no_axe_violations(page)
        _tab_to(page, "A question about a result")
        page.keyboard.press("ArrowDown")
        expect(page.get_by_label("Medicines and refills")).to_be_checked()
        _tab_to(page, "Subject")
        page.keyboard.type("Question about my pills")
        _tab_to(page, "Message")
        page.keyboard.type("Should I take them with food?")
        _tab_to(page, "Send the message")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Question about my pills")
        expect(page.get_by_text("Your message is sent.")).to_be_visible()
        thread = Thread.objects.get()
        assert (thread.topic, thread.team.name) == ("medicines", "Family medicine")
        assert not Attachment.objects.exists()
        page.goto("/messages/")
        _tab_to(page, "Question about my pills")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Question about my pills")
        expect(page.get_by_text("Should I take them with food?")).to_be_visible()
        assert_no_horizontal_scroll(page)
        assert_no_axe_violations(page)
    finally:
        context.close()


def test_the_messages_pages_reflow_at_200_percent_zoom(
    browser: Browser, live_server: LiveServer
) -> None:
    _clinic_with_a_team()
    # 200 % zoom on a 1,280 px window lays pages out in 640 CSS pixels at twice the density.
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 640, "height": 800}, device_scale_factor=2
    )
    try:
        page = context.new_page()
        sign_in_patient(page, EMAIL, "Rosa Lind")
        for path in ("/messages/", "/messages/new/", "/messages/requests/new/"):
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert_no_horizontal_scroll(page)
            assert_no_axe_violations(page)
    finally:
        context.close()
