"""Helpers for the browser journeys: Debian's Chromium through Playwright, and axe-core checks.

Playwright never downloads a browser here: the journeys drive the system Chromium, found at
`CAREBRIDGE_CHROMIUM` or `/usr/bin/chromium`. Imports of Playwright stay inside functions so
that the rest of the test suite runs on machines without it.
"""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Flags for running headless in containers and CI: no sandbox (often unavailable as root),
# no GPU, no /dev/shm (small in containers), and no background traffic to Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The WCAG 2.x A and AA rules; axe's "best-practice" rules are advice, not conformance.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

SKIP_REASON = (
    "Browser tests skipped: Chromium not found at {path} (install Debian's chromium package, "
    "or set CAREBRIDGE_CHROMIUM to its path)"
)


def chromium_path() -> str:
    return os.environ.get("CAREBRIDGE_CHROMIUM") or DEFAULT_CHROMIUM


def has_chromium() -> bool:
    path = chromium_path()
    return os.path.isfile(path) and os.access(path, os.X_OK)


def launch_chromium(playwright: Playwright) -> Browser:
    """Start the system Chromium, headless. Set CAREBRIDGE_HEADED=1 to watch it."""
    headless = os.environ.get("CAREBRIDGE_HEADED", "") in {"", "0"}
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=headless
    )


@functools.cache
def axe_source() -> str:
    """The text of axe.min.js as shipped inside the axe-playwright-python package."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Run axe-core's WCAG A/AA rules on the page as it is now; return the violations.

    The page's Content-Security-Policy forbids inline scripts, so axe is not added with a
    <script> tag: `page.evaluate` runs in an isolated DevTools evaluation that CSP does not cover.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results: dict[str, Any] = page.evaluate("options => window.axe.run(document, options)", options)
    violations: list[dict[str, Any]] = results["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} "
            f"[{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page) -> None:
    """Fail with every WCAG 2.2 A/AA violation axe-core finds on the page, with where it is."""
    violations = run_axe(page)
    assert not violations, (
        f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
        + describe_violations(violations)
    )


# Every element whose content is wider than its own box: a page that does not scroll sideways
# can still hide a wide table inside an `overflow: auto` box (or clip it). Form fields scroll
# their own text, visually hidden text is clipped on purpose, and what a closed <details> holds
# is not shown, and decoration hidden from screen readers may be clipped: none of them counts.
_WIDER_THAN_THEIR_BOX = """() => {
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (!(element instanceof HTMLElement)) continue;
    if (["INPUT", "TEXTAREA", "SELECT", "OPTION"].includes(element.tagName)) continue;
    if (element.clientWidth <= 1 || element.scrollWidth <= element.clientWidth + 1) continue;
    // Inside a closed <details> an element has a box but is not shown.
    if (!element.checkVisibility()) continue;
    // Decoration hidden from screen readers (a dashed cut line) may be clipped on purpose.
    if (element.closest("[aria-hidden='true']")) continue;
    const style = getComputedStyle(element);
    if (style.clip !== "auto" || style.clipPath !== "none") continue;
    const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (element.classList.length ? "." + [...element.classList].join(".") : "");
    found.push(`${name} (content ${element.scrollWidth} px in a ${element.clientWidth} px box)`);
  }
  return found;
}"""


def elements_wider_than_their_box(page: Page) -> list[str]:
    """Each element whose content overflows its box sideways, named with both widths."""
    found: list[str] = page.evaluate(_WIDER_THAN_THEIR_BOX)
    return found


def assert_no_horizontal_scroll(page: Page) -> None:
    """WCAG 1.4.10 Reflow: at this viewport width, nothing needs scrolling sideways: neither the
    page nor any box inside it (a wide table in a scrolling wrapper counts)."""
    viewport = page.viewport_size
    assert viewport is not None
    scroll_width: int = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= viewport["width"], (
        f"{page.url} scrolls sideways at {viewport['width']} px wide "
        f"(content is {scroll_width} px wide)"
    )
    wide = elements_wider_than_their_box(page)
    assert not wide, (
        f"{page.url} has boxes that scroll or clip sideways at {viewport['width']} px wide: "
        + "; ".join(wide)
    )


def assert_accessible_on_desktop_and_phone(page: Page) -> None:
    """axe-core finds nothing at the page's own width and at 320 px, where nothing scrolls
    sideways; the viewport is put back to 1,280 px afterwards."""
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def switch_account(page: Page, name: str) -> None:
    """Choose `name` in the header's "Switch" disclosure (the acting-for band) and switch."""
    band = page.locator(".acting-bar")
    band.locator("summary").click()
    band.get_by_label("Whose account").select_option(label=name)
    band.locator("form").get_by_role("button", name="Switch").click()


def sign_in_patient(page: Page, email: str, name: str) -> None:
    """Sign in through the login page with the test password; the home page greets `name`."""
    from playwright.sync_api import expect

    from carebridge.testing.factories import TEST_PASSWORD

    page.goto("/account/login/")
    page.get_by_label("Email").fill(email)
    password = page.get_by_label("Password")
    password.fill(TEST_PASSWORD)
    password.press("Enter")
    skip_the_set_up_checklist(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {name}")


def skip_the_set_up_checklist(page: Page, language: str = "en") -> None:
    """A patient's first sign-in leads to the set-up checklist: choose "Skip for now", as a
    patient in a hurry would, to reach the home page. Any other sign-in lands there directly.
    `language` is the one the pages are in (the words are read from its catalogue)."""
    import re

    from django.utils import translation
    from playwright.sync_api import expect

    with translation.override(language):
        set_up = translation.gettext("Set up your account")
        skip = translation.gettext("Skip for now")
        landed = [set_up, *(translation.gettext(w).split("%")[0] for w in WELCOME_WORDS)]
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("^(" + "|".join(map(re.escape, landed)) + ")"))
    if heading.inner_text() == set_up:
        page.get_by_role("button", name=skip).click()


# The home page's heading for a patient, and for a caregiver acting for someone.
WELCOME_WORDS = ("Welcome, %(name)s", "Helping %(name)s")


def totp_code(secret: str, *, min_seconds_left: float = 3.0) -> str:
    """The authenticator app's current code for `secret`.

    The portal accepts only the current 30-second window, so when the window is about to end
    this waits for the next one: the code must still be current when the server checks it.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - (time.time() % period)
    if left < min_seconds_left:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def choose_a_time_past_the_soonest(page: Page) -> None:
    """On the "Choose a time" page, choose the second time offered: the soonest one sits just
    past the visit's lead time, and the seconds a test spends checking the page can carry the
    clock past a slot boundary, after which the portal rightly refuses it as too soon."""
    times = page.locator('input[type="radio"][name="time"]')
    assert times.count() >= 2, "the page offers fewer than two times"
    times.nth(1).check()
