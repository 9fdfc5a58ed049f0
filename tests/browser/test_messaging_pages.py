"""The patient's messaging pages in a real browser, checked by axe-core at 1,280 and 320 px:
the empty list, writing (with its errors), the conversation with a file, and the list again."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from carebridge.messaging.models import CareTeam
from carebridge.testing import factories
from carebridge.testing.browser import assert_accessible_on_desktop_and_phone as _check
from carebridge.testing.browser import sign_in_patient

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
    page.get_by_label("Care team").select_option(label="Family medicine")
    page.get_by_label("A question for my clinician").check()
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
