"""Fixtures for browser journeys: one Chromium per test session, a fresh context per test.

Every test here is marked `browser` and runs against pytest-django's `live_server` (so each one
gets a transactional database). They are all skipped when Chromium is not installed.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from carebridge.testing import browser as browser_helpers

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page
    from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in the test thread, and Django refuses database
# calls from a thread with a running loop unless told it is safe. Here it is: the loop only
# drives the browser, and the test's own queries run between Playwright calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

TIMEOUT_MS = 10_000
expect.set_options(timeout=TIMEOUT_MS)

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts"


def _is_here(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def _missing_chromium_reason() -> str:
    return browser_helpers.SKIP_REASON.format(path=browser_helpers.chromium_path())


def _is_browser_required() -> bool:
    # CI sets this so that a missing Chromium fails the run instead of quietly skipping.
    return os.environ.get("CAREBRIDGE_REQUIRE_BROWSER", "") not in {"", "0"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Hooks in a directory's conftest still see the whole session's items: only touch ours.
    skip = None
    if not browser_helpers.has_chromium() and not _is_browser_required():
        skip = pytest.mark.skip(reason=_missing_chromium_reason())
    for item in items:
        if _is_here(item):
            item.add_marker(pytest.mark.browser)
            if skip is not None:
                item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the item, so the page fixture can tell that the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    if not browser_helpers.has_chromium():
        pytest.fail(_missing_chromium_reason().replace("skipped", "required"), pytrace=False)

    with sync_playwright() as playwright:
        chromium = browser_helpers.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def one_request_at_a_time(live_server: LiveServer) -> threading.Lock:
    """The live server's requests, one at a time; hold the lock to wait for the one in hand.

    With SQLite in memory the server's threads share the test's database connection. Chromium
    opens several connections (and may fetch a link it expects to be followed), so two requests
    could use that one connection at once, or a request could still be reading a table when the
    test ends and its tables are emptied ("database table is locked", and every later test on
    that worker fails). Each request for a page runs whole, its response read, under this lock."""
    lock = threading.Lock()
    server = live_server.thread.httpd
    application = server.get_app()
    assert application is not None, "the live server has no application yet"

    static = settings.STATIC_URL or "/static/"

    def serialised(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(static):
            # Static files are read from disk, never from the database.
            return application(environ, start_response)
        with lock:
            response = application(environ, start_response)
            try:
                return list(response)
            finally:
                close = getattr(response, "close", None)
                if close is not None:
                    close()

    server.set_app(serialised)
    return lock


@pytest.fixture
def context(
    browser: Browser, live_server: LiveServer, one_request_at_a_time: threading.Lock
) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    # A missing element fails in seconds rather than Playwright's default 30, with room left
    # for a machine that is busy running the rest of the suite.
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()
    # A request the browser started (and gave up) may still be running: let it finish before
    # the test's tables are emptied.
    with one_request_at_a_time:
        pass


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _save_screenshots(context, request.node.name)


def _save_screenshots(context: BrowserContext, test_name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    safe_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name)
    for number, open_page in enumerate(context.pages):
        try:
            open_page.screenshot(path=str(ARTIFACTS / f"{safe_name}-{number}.png"), full_page=True)
        except Exception as error:
            # A screenshot that cannot be taken must not hide the test's own failure.
            print(f"Could not save a screenshot of {open_page.url}: {error}")
