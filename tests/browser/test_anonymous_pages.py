"""Pages anyone can reach before signing in: accessible, usable by keyboard, and reflowing."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from carebridge.testing.browser import assert_no_axe_violations, assert_no_horizontal_scroll

ANONYMOUS_PAGES = [
    ("/account/login/", 200, "Sign in"),
    ("/help/", 200, "Help"),
    ("/account/enrol/", 200, "Create your account"),
    ("/no-such-page/", 404, "Page not found"),
]


def test_anonymous_pages_pass_axe_and_skip_link_works(page: Page) -> None:
    for path, status, heading in ANONYMOUS_PAGES:
        response = page.goto(path)
        assert response is not None
        assert response.status == status
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_no_axe_violations(page)
        # The first Tab reaches the skip link, and following it puts focus on the main content.
        page.keyboard.press("Tab")
        skip_link = page.get_by_role("link", name="Skip to main content")
        expect(skip_link).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()


def test_sign_in_page_reflows_at_320_px_and_at_200_percent_zoom(
    browser: Browser, live_server: LiveServer
) -> None:
    # 200 % zoom on a 1280 px window lays pages out in 640 CSS pixels, drawn at twice the density.
    for width, scale in [(320, 1), (640, 2)]:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 800},
            device_scale_factor=scale,
        )
        try:
            page = context.new_page()
            page.goto("/account/login/")
            expect(page).to_have_title(re.compile("^Sign in"))
            assert_no_horizontal_scroll(page)
            assert_no_axe_violations(page)
        finally:
            context.close()
