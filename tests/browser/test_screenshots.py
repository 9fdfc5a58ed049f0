"""Screenshots of the main patient pages at 375 and 1,280 px for docs/screenshots/, and the
header's height on a phone for Pat and for Cora acting for her. Not a check: skipped unless
CAREBRIDGE_SCREENSHOTS=1 (see docs/screenshots/README.md for how to run it).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page

from carebridge.messaging.models import Thread
from tests.browser.phone_cast import cast_with_a_conversation_and_an_appointment, sign_in_as

pytestmark = pytest.mark.skipif(
    os.environ.get("CAREBRIDGE_SCREENSHOTS", "") in {"", "0"},
    reason="Screenshots are made on request: set CAREBRIDGE_SCREENSHOTS=1",
)

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
# Each picture stays small in the repository: a palette of 64 colours is plenty for a page.
COLOURS = 64


@pytest.fixture(autouse=True)
def folder(settings: Any, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.CAREBRIDGE_ATTACHMENT_DIR


def test_screenshots_of_the_main_pages(page: Page) -> None:
    cast = cast_with_a_conversation_and_an_appointment()
    sign_in_as(page, cast, "patient")
    assert cast.record is not None
    pages = {
        "home": "/",
        "results": reverse("records:results"),
        "result": reverse("records:result-detail", args=[cast.record.hba1c.pk]),
        "appointments": reverse("scheduling:appointments"),
        "messages": reverse("messaging:threads"),
        "conversation": reverse(
            "messaging:thread", args=[Thread.objects.get(patient=cast.patient).pk]
        ),
    }
    FOLDER.mkdir(parents=True, exist_ok=True)
    for size, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for name, url in pages.items():
            page.goto(url)
            _save(page.screenshot(), FOLDER / f"{name}-{size}.png")


@pytest.mark.parametrize("persona", ["patient", "caregiver"])
def test_header_height_on_a_phone(page: Page, persona: str) -> None:
    cast = cast_with_a_conversation_and_an_appointment()
    sign_in_as(page, cast, persona)
    print(f"\nheader height at 375 px on the home page, {persona}: {_header_height(page)} px")


def _header_height(page: Page) -> float:
    page.set_viewport_size(WIDTHS["phone"])
    page.goto("/")
    height: float = page.evaluate(
        "() => document.querySelector('header').getBoundingClientRect().bottom"
    )
    return height


def _save(png: bytes, path: Path) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=COLOURS)
    image.save(path, format="PNG", optimize=True)
