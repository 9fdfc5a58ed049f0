"""A summary's recipient, in a real browser: opening the e-mailed link and typing the passcode
opens the summary. The page's address holds the link's key, so it sends no referrer to other
sites; with none at all, Chromium would send `Origin: null` with the passcode form and the CSRF
check would refuse it: this journey is what proves the two work together.
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone
from playwright.sync_api import Page, expect

from carebridge.records import sharing
from carebridge.records.models import RecordShare
from carebridge.testing import factories
from carebridge.testing.browser import assert_no_axe_violations
from carebridge.testing.sample_record import build_sample_record

TOKEN = "a-browser-test-link-key-0123456789abcdef"
PASSCODE = "2468 1357"


def test_the_recipient_opens_the_summary_with_the_passcode(page: Page) -> None:
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    patient = factories.make_patient(
        clinic,
        user=factories.make_user(email="ines@example.org", first_name="Ines"),
        given_name="Ines",
        family_name="Moreau",
    )
    build_sample_record(patient)
    share_id, now = uuid.uuid4(), timezone.now()
    RecordShare.objects.create(
        id=share_id,
        patient=patient,
        created_by=patient.user,
        recipient_email="dr.new@example.org",
        token_digest=sharing.token_digest(TOKEN),
        passcode_digest=sharing.passcode_digest(share_id, sharing.normalise_passcode(PASSCODE)),
        sections=[],
        created_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )
    page.goto(f"/shared/{TOKEN}/")
    expect(page.get_by_role("heading", name="A health summary for you")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Passcode").fill(PASSCODE)
    page.get_by_role("button", name="Open the summary").click()
    expect(page.get_by_text("Ines Moreau").first).to_be_visible()
    assert_no_axe_violations(page)
