"""Issue 6's journey in a real browser: a patient starts a message, keeps it as a draft, comes
back to it, attaches a photo and sends it; a nurse, signed in with two-step verification in
another browser, reads it and replies; the patient sees the unread count, reads the reply,
archives the conversation and finds it again by searching; then the patient asks for a refill
from the medicines list, the nurse approves it, and the patient sees the status change. Every
e-mail on the way says only that something is new. axe-core checks every page visited (WCAG 2.2
A/AA), the patient's at 1,280 and at 320 px.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffMember, StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.messaging.models import (
    Attachment,
    CareRequest,
    CareRequestStatus,
    Message,
    Thread,
)
from carebridge.messaging.models import CareTeam as Team
from carebridge.patients.models import Patient
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_accessible_on_desktop_and_phone,
    assert_no_axe_violations,
    sign_in_patient,
)
from carebridge.testing.records import medication_request, store
from carebridge.testing.text import mentions
from tests.browser.test_staff_schedule import sign_in_staff

PATIENT_EMAIL = "rosa.lind@example.org"
SUBJECT = "Rash on my arm"
BODY = "It started on Monday.\nIt itches at night."
REPLY = "Thank you for the photo. Please use the cream twice a day."
MEDICINE = "Metformin 500 mg"
PHARMACY = "Main Street Pharmacy"
MEDICINES_PAGE = "/record/medications/"
# Sent on every sign-in from a new device; not part of this journey.
SIGN_IN_SUBJECT = "[Carebridge] New sign-in to your account"
# Words that would be health information in an e-mail.
PRIVATE_WORDS = ("Rash", "arm", "itches", "cream", "Metformin", "Pharmacy", "Family medicine")


@pytest.fixture(autouse=True)
def attachment_folder(settings: Any, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.CAREBRIDGE_ATTACHMENT_DIR


def _check(page: Page, *, phone: bool = True) -> None:
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if phone:
        assert_accessible_on_desktop_and_phone(page)
    else:
        assert_no_axe_violations(page)


def _clinic() -> tuple[Patient, User]:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    doctor = factories.make_practitioner(clinic, given_name="Maya", family_name="Chen")
    nurse = factories.make_staff(
        clinic,
        StaffRole.NURSE,
        with_mfa=False,
        email="nina@example.org",
        first_name="Nina",
        last_name="Park",
    )
    team = Team.objects.create(clinic=clinic, name="Family medicine")
    team.practitioners.add(doctor)
    team.members.add(StaffMember.objects.get(user=nurse))
    rosa = factories.make_patient(
        clinic,
        user=factories.make_user(email=PATIENT_EMAIL, first_name="Rosa", last_name="Lind"),
        given_name="Rosa",
        family_name="Lind",
        mrn="RFC-3001",
        birth_date=datetime.date(1950, 2, 2),
    )
    store(rosa, medication_request(rosa, MEDICINE), medication_request(rosa, "Lisinopril 10 mg"))
    return rosa, nurse


def _photo(folder: Path) -> Path:
    path = folder / "arm.jpg"
    folder.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 110)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def _notices() -> list[Any]:
    return [m for m in mail.outbox if m.subject != SIGN_IN_SUBJECT]


def _assert_says_nothing_private(message: Any) -> None:
    for word in PRIVATE_WORDS:
        assert not mentions(message.subject + "\n" + message.body, word), word


def test_message_with_a_photo_reply_archive_search_and_an_approved_refill(
    page: Page, browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    rosa, nurse = _clinic()
    sign_in_patient(page, PATIENT_EMAIL, "Rosa Lind")

    # Start a message and keep it as a draft.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your messages")
    _check(page)
    page.get_by_role("link", name="Write a message").click()
    page.get_by_label("Something else").check()
    page.get_by_label("Subject").fill(SUBJECT)
    page.get_by_label("Message", exact=True).fill("It started on Monday.")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("Your draft is saved. It is not sent yet.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your draft")
    _check(page)
    assert Thread.objects.sent().count() == 0
    assert _notices() == []

    # Come back to it from the list, attach a photo and send it.
    page.get_by_role("link", name="Back to messages").click()
    expect(page.get_by_role("heading", name="Drafts (not sent yet)")).to_be_visible()
    _check(page)
    page.get_by_role("link", name=SUBJECT).click()
    page.get_by_label("Message", exact=True).fill(BODY)
    page.get_by_label("Files").set_input_files(str(_photo(tmp_path / "upload")))
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SUBJECT)
    expect(page.get_by_text("Your message is sent.")).to_be_visible()
    expect(page.get_by_role("link", name="arm.jpg")).to_be_visible()
    _check(page)
    thread = Thread.objects.get()
    assert thread.last_message_at is not None
    assert Attachment.objects.get().content_type == "image/jpeg"
    (to_team,) = _notices()
    assert to_team.to == [nurse.email]
    _assert_says_nothing_private(to_team)

    # The nurse reads it in the team's inbox and replies.
    staff_context = browser.new_context(base_url=live_server.url)
    staff = staff_context.new_page()
    sign_in_staff(staff, nurse)
    staff.get_by_role("link", name="Messages").first.click()
    staff.get_by_role("link", name=SUBJECT).click()
    expect(staff.get_by_role("link", name="Download arm.jpg")).to_be_visible()
    _check(staff, phone=False)
    staff.get_by_label("Your reply to the patient").fill(REPLY)
    staff.get_by_role("button", name="Send the reply").click()
    expect(staff.locator(".messages")).to_contain_text("Your reply has been sent.")
    _check(staff, phone=False)
    to_patient = _notices()[-1]
    assert to_patient.to == [PATIENT_EMAIL]
    assert to_patient.subject == "[Carebridge] You have a new message"
    _assert_says_nothing_private(to_patient)

    # The patient sees one unread conversation, reads the reply, and archives it.
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Messages 1 unread")).to_be_visible()
    nav.get_by_role("link", name="Messages 1 unread").click()
    expect(page.get_by_text("Unread", exact=True)).to_be_visible()
    page.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_text(REPLY)).to_be_visible()
    expect(page.get_by_role("heading", name="Nina Park (care team)")).to_be_visible()
    expect(nav.get_by_role("link", name="Messages", exact=True)).to_be_visible()
    page.get_by_role("button", name="Move to the archive").click()
    expect(page.get_by_text("The conversation is in your archive.")).to_be_visible()
    expect(page.get_by_text("There are no messages yet.")).to_be_visible()

    # Searching finds it in the archive, and the words never reach the address bar.
    page.get_by_label("Search the messages").fill("cream")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 conversation has “cream”")).to_be_visible()
    assert "cream" not in page.url
    _check(page)
    page.get_by_role("link", name=SUBJECT).click()
    page.get_by_role("button", name="Move back to messages").click()
    expect(page.get_by_text("The conversation is back in your messages.")).to_be_visible()
    assert Thread.objects.get().archived_by_patient_at is None
    assert Message.objects.filter(thread=thread).count() == 2

    _refill_is_asked_approved_and_followed(page, staff, rosa)
    staff_context.close()


def _refill_is_asked_approved_and_followed(page: Page, staff: Page, rosa: Patient) -> None:
    page.goto(MEDICINES_PAGE)
    expect(page.get_by_text("Lisinopril 10 mg")).to_be_visible()
    page.get_by_role("link", name="Ask for a refill").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    _check(page)
    page.get_by_label(MEDICINE).check()
    page.get_by_label("Pharmacy").fill(PHARMACY)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    expect(page.get_by_text("Sent to the clinic").first).to_be_visible()
    _check(page)
    asked = CareRequest.objects.get(patient=rosa)
    assert asked.details["medicines"] == [MEDICINE]
    assert asked.details["pharmacy"] == PHARMACY

    staff.goto("/staff/inbox/requests/?kind=refill")
    staff.get_by_role("link", name="Rosa Lind").click()
    expect(staff.get_by_text(MEDICINE)).to_be_visible()
    staff.get_by_role("button", name="Approve").click()
    expect(staff.locator(".messages")).to_be_visible()
    _check(staff, phone=False)
    asked.refresh_from_db()
    assert asked.status == CareRequestStatus.APPROVED
    answered = _notices()[-1]
    assert answered.subject == "[Carebridge] There is an answer to your request"
    _assert_says_nothing_private(answered)

    page.reload()
    expect(page.get_by_text("Approved").first).to_be_visible()
    _check(page)
