"""The foundation journey in a real browser: enrol with an activation code, turn on two-step
verification, sign out and back in with it, and get the idle-timeout warning. axe-core checks
every page on the way.
"""

from __future__ import annotations

import datetime
import re
import time
from importlib import import_module

from django.conf import settings as django_settings
from django.core import mail
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from carebridge.accounts import services
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    totp_code,
)

EMAIL = "alex.rivera@example.org"
PASSWORD = "a long calm river at dusk"
LINK = re.compile(r"https?://[^\s/]+/account/enrol/verify/[^/\s]+/")


def test_patient_enrols_sets_up_two_step_signs_in_and_stays_signed_in(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    live_server: LiveServer,
    settings: SettingsWrapper,
) -> None:
    clinic = factories.make_clinic()
    patient = factories.make_patient(clinic, birth_date=datetime.date(1958, 4, 12))
    code = services.issue_activation_code(actor=None, patient=patient)

    enrol(page, live_server, code)
    secret = set_up_totp(page)
    sign_out_and_back_in(page, live_server, secret)
    check_home_page_reflows(page, browser, context, live_server)
    # Last, because it shortens the idle limit for whatever would come after it.
    see_idle_warning_and_stay_signed_in(page, context, settings)


def enrol(page: Page, live_server: LiveServer, code: str) -> None:
    page.goto("/account/enrol/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    assert_no_axe_violations(page)
    page.get_by_label("Activation code").fill(code)
    date_of_birth = page.get_by_label("Your date of birth")
    date_of_birth.fill("1958-04-12")
    date_of_birth.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your e-mail address")
    assert_no_axe_violations(page)
    email = page.get_by_label("Your e-mail address")
    email.fill(EMAIL)
    email.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_no_axe_violations(page)
    # The live server runs in this process, so its locmem mail lands in this outbox.
    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    match = LINK.search(message.body)
    assert match is not None, message.body
    assert match.group(0).startswith(live_server.url)
    page.goto(match.group(0))

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a password")
    assert_no_axe_violations(page)
    page.get_by_label("Choose a password").fill(PASSWORD)
    again = page.get_by_label("Type the password again")
    again.fill(PASSWORD)
    again.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is ready")
    assert_no_axe_violations(page)


def set_up_totp(page: Page) -> str:
    """Turn on an authenticator app from the enrolment page; return its secret."""
    page.get_by_role("link", name="Set up two-step verification").press("Enter")
    expect(page).to_have_url(re.compile(r"/account/2fa/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-step verification")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Set up an authenticator app").press("Enter")

    # Enrolment signed the patient in without allauth's record of a password check, so allauth
    # may ask for the password again before changing two-step settings.
    page.wait_for_url(re.compile(r"/account/(reauthenticate|2fa/totp/activate)/"))
    if "/account/reauthenticate/" in page.url:
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
        assert_no_axe_violations(page)
        password = page.get_by_label("Password")
        password.fill(PASSWORD)
        password.press("Enter")

    expect(page).to_have_url(re.compile(r"/account/2fa/totp/activate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    assert_no_axe_violations(page)
    # The patient who cannot scan the QR code types the setup key shown beside it.
    secret = page.locator("dt:text-is('Setup key') + dd").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    code_field = page.get_by_label("Authenticator code")
    code_field.fill(totp_code(secret))
    code_field.press("Enter")

    # allauth makes recovery codes along with the first authenticator and shows them once.
    expect(page).to_have_url(re.compile(r"/account/2fa/recovery-codes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    assert_no_axe_violations(page)
    codes = page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    return secret


def sign_out_and_back_in(page: Page, live_server: LiveServer, secret: str) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").press("Enter")
    expect(page).to_have_url(re.compile(r"/account/login/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_no_axe_violations(page)
    page.get_by_label("Email").fill(EMAIL)
    password = page.get_by_label("Password")
    password.fill(PASSWORD)
    password.press("Enter")

    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your verification code")
    assert_no_axe_violations(page)
    code_field = page.get_by_label("Code", exact=True)
    code_field.fill(totp_code(secret))
    code_field.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome, Alex "))
    assert_no_axe_violations(page)


def check_home_page_reflows(
    page: Page, browser: Browser, context: BrowserContext, live_server: LiveServer
) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome"))
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # 200 % zoom on a 1280 px window lays the page out in 640 CSS pixels at twice the density.
    zoomed = browser.new_context(
        base_url=live_server.url,
        storage_state=context.storage_state(),
        viewport={"width": 640, "height": 800},
        device_scale_factor=2,
    )
    try:
        zoomed_page = zoomed.new_page()
        zoomed_page.goto("/")
        expect(zoomed_page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Welcome"))
        assert_no_horizontal_scroll(zoomed_page)
        assert_no_axe_violations(zoomed_page)
    finally:
        zoomed.close()


def see_idle_warning_and_stay_signed_in(
    page: Page, context: BrowserContext, settings: SettingsWrapper
) -> None:
    # A 70-second idle limit with a 60-second warning: the page asks the server how long is
    # left 10 seconds after loading, and warns once 60 seconds or fewer remain.
    settings.CAREBRIDGE_SESSION_IDLE_SECONDS = 70
    settings.CAREBRIDGE_SESSION_WARNING_SECONDS = 60
    page.clock.install()
    # The page is still 320 px wide from the reflow check, so the dialog is checked small.
    page.goto("/")
    body = page.locator("body")
    expect(body).to_have_attribute("data-session-idle", "70")
    expect(body).to_have_attribute("data-session-warning", "60")
    assert_no_axe_violations(page)
    warning = page.get_by_role("alertdialog", name="Are you still there?")
    expect(warning).to_be_hidden()

    # The server's clock is real, so the user's idle time is set on the server rather than
    # waited out; the browser's clock is then moved past the first check.
    pretend_idle(context, seconds=15)
    page.clock.fast_forward(11_000)

    expect(warning).to_be_visible()
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    # About 55 seconds: the time the server says is left, not a number the page made up.
    expect(page.locator("#session-warning-seconds")).to_have_text(re.compile(r"^[1-5]\d$"))
    assert_no_axe_violations(page)

    with page.expect_response(re.compile(r"/account/session/keepalive/$")) as keepalive:
        page.keyboard.press("Enter")
    assert keepalive.value.status == 200
    assert keepalive.value.request.method == "POST"
    assert keepalive.value.json()["seconds_left"] >= 69
    expect(warning).to_be_hidden()


def pretend_idle(context: BrowserContext, *, seconds: int) -> None:
    """Move the session's last activity back, as if the user had not touched it for a while."""
    engine = import_module(django_settings.SESSION_ENGINE)
    [cookie] = [c for c in context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME]
    session = engine.SessionStore(session_key=cookie["value"])
    session[services.LAST_SEEN_AT] = time.time() - seconds
    session.save()
