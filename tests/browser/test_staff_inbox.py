"""The console's message inbox in a real browser: a nurse opens the team's messages, a thread
with an internal note and a file, the refill queue and one request. axe-core checks every page
at 1,280 and at 320 px, where none may scroll sideways.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffMember, StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.messaging.care_requests import submit_request
from carebridge.messaging.models import CareTeam, RequestKind, Topic
from carebridge.messaging.services import reply, start_thread
from carebridge.testing import factories
from carebridge.testing.browser import assert_no_axe_violations, assert_no_horizontal_scroll
from tests.browser.test_staff_schedule import sign_in_staff

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def attachment_folder(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.CAREBRIDGE_ATTACHMENT_DIR


def _check(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def _a_team_with_a_message() -> User:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    rosa_user = factories.make_user(email="rosa@example.org", first_name="Rosa", last_name="Lind")
    rosa = factories.make_patient(
        clinic,
        user=rosa_user,
        given_name="Rosa",
        family_name="Lind",
        mrn="RFC-3001",
        birth_date=datetime.date(1950, 2, 2),
    )
    nurse = factories.make_staff(
        clinic, StaffRole.NURSE, with_mfa=False, email="nina@example.org", first_name="Nina"
    )
    team = CareTeam.objects.create(clinic=clinic, name="Family medicine")
    CareTeam.objects.create(clinic=clinic, name="Billing office")
    team.members.add(StaffMember.objects.get(user=nurse))
    now = timezone.now() - datetime.timedelta(days=2)
    thread = start_thread(
        actor=rosa_user,
        acting_as="self",
        patient=rosa,
        team=team,
        topic=Topic.OTHER,
        subject="My tablets",
        body="Should I take them with food?",
        now=now,
        files=[("letter.pdf", MINIMAL_PDF)],
    )
    reply(
        actor=nurse, acting_as="staff", thread=thread, body="Ask Dr Chen.", now=now, internal=True
    )
    submit_request(
        actor=rosa_user,
        acting_as="self",
        patient=rosa,
        kind=RequestKind.REFILL,
        details={"medicines": ["Metformin 500 mg"], "pharmacy": "Main Street Pharmacy"},
    )
    return nurse


def test_the_inbox_pages_pass_axe_and_reflow(page: Page) -> None:
    nurse = _a_team_with_a_message()
    sign_in_staff(page, nurse)
    page.get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    expect(page.get_by_text("2 days ago")).to_be_visible()
    _check(page)

    page.get_by_role("link", name="My tablets").click()
    expect(page.get_by_text("Internal note — the patient does not see this")).to_be_visible()
    expect(page.get_by_role("link", name="Download letter.pdf")).to_be_visible()
    _check(page)
    page.get_by_label("Use a reply template").select_option(label="We have received your message")
    page.get_by_role("button", name="Fill in the reply").click()
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator(".messages")).to_contain_text("Your reply has been sent.")
    _check(page)

    page.goto("/staff/inbox/requests/?kind=refill")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prescription refill")
    _check(page)
    page.get_by_role("link", name="Rosa Lind").click()
    expect(page.get_by_text("Metformin 500 mg")).to_be_visible()
    _check(page)
    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    _check(page)
