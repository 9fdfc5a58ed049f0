"""Patients' apps in a real browser: the clinic administrator registers an app in the console,
the patient connects it on the consent page (unticking a part), sees it among her connected apps
and disconnects it. axe-core checks every page at 1,280 and at 320 px, where nothing may scroll
sideways."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import parse_qs, urlencode, urlsplit

from django.apps import apps
from playwright.sync_api import BrowserContext, Page, expect

from carebridge.clinic.models import StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.fhir.models import Connection
from carebridge.fhir.smart.validator import fhir_base_url
from carebridge.patients.models import Patient
from carebridge.testing import factories
from carebridge.testing.browser import sign_in_patient
from tests.browser.test_staff_inbox import _check
from tests.browser.test_staff_schedule import sign_in_staff

REDIRECT = "http://127.0.0.1:9999/callback"
VERIFIER = "a-long-random-code-verifier-that-the-app-keeps-to-itself-0123456789"


def _clinic() -> tuple[Patient, object]:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    admin = factories.make_staff(
        clinic, StaffRole.CLINIC_ADMIN, with_mfa=False, email="ada@example.org", first_name="Ada"
    )
    user = factories.make_user(email="rosa@example.org", first_name="Rosa", last_name="Lind")
    patient = factories.make_patient(clinic, user=user, given_name="Rosa", family_name="Lind")
    return patient, admin


def _register(page: Page) -> str:
    """The administrator registers a phone app; returns its client id."""
    page.get_by_role("link", name="Clinic set-up").click()
    page.get_by_role("link", name="Apps for patients", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Apps for patients")
    _check(page)
    page.get_by_role("link", name="Register an app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register an app")
    _check(page)
    page.get_by_label("Name patients see").fill("Health Diary")
    page.get_by_label("What the app does, in plain words").fill("Keeps results in one place.")
    page.get_by_label(re.compile("^Public: an app on a phone")).check()
    page.get_by_label("Redirect addresses").fill(REDIRECT)
    page.get_by_role("button", name="Register it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health Diary is registered")
    _check(page)
    client_id = page.locator("dt:text-is('Client id') + dd").inner_text().strip()
    assert client_id
    return client_id


def _authorize_path(client_id: str) -> str:
    digest = hashlib.sha256(VERIFIER.encode()).digest()
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": "launch/patient openid fhirUser offline_access patient/*.rs",
        "state": "state-1",
        "aud": fhir_base_url(),
        "code_challenge": base64.urlsafe_b64encode(digest).rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    }
    return "/o/authorize/?" + urlencode(params)


def test_an_app_is_registered_connected_and_disconnected(
    page: Page, context: BrowserContext
) -> None:
    patient, admin = _clinic()
    sign_in_staff(page, admin)  # type: ignore[arg-type]
    client_id = _register(page)

    origin = f"{urlsplit(page.url).scheme}://{urlsplit(page.url).netloc}"
    assert context.browser is not None
    rosa = context.browser.new_context(base_url=origin)
    app_page = rosa.new_page()
    # The app's own address is not served here: answer it in the browser, as the app would.
    app_page.route(
        re.compile(r"^http://127\.0\.0\.1:9999/"),
        lambda route: route.fulfill(status=200, body="The app"),
    )
    sign_in_patient(app_page, "rosa@example.org", "Rosa Lind")
    app_page.goto(_authorize_path(client_id))
    expect(app_page.get_by_role("heading", level=1)).to_have_text(
        "Health Diary wants to read your health record"
    )
    _check(app_page)
    boxes = app_page.get_by_role("checkbox")
    offered = boxes.count()
    assert offered > 1
    boxes.first.uncheck()
    app_page.get_by_role("button", name="Allow").click()
    app_page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:9999/callback\?"))
    query = parse_qs(urlsplit(app_page.url).query)
    assert query["state"] == ["state-1"] and query["code"][0]
    connection = Connection.objects.get(patient=patient)
    assert connection.revoked_at is None

    app_page.goto("/account/apps/")
    expect(app_page.get_by_role("heading", level=1)).to_have_text("Connected apps")
    expect(app_page.get_by_role("main")).to_contain_text("Health Diary")
    _check(app_page)
    app_page.get_by_role("link", name="Disconnect Health Diary").click()
    expect(app_page.get_by_role("heading", level=1)).to_have_text("Disconnect Health Diary")
    _check(app_page)
    app_page.get_by_role("button", name="Disconnect it").click()
    expect(app_page.get_by_role("heading", level=1)).to_have_text("Connected apps")
    _check(app_page)
    connection.refresh_from_db()
    assert connection.revoked_at is not None
    rosa.close()
