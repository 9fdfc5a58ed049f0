"""The console's undelivered e-mails page in a real browser: a clinic administrator opens it
from the console, sees a failed e-mail and retries it. axe-core checks the page at 1,280 and at
320 px, where nothing may scroll sideways."""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from carebridge.accounts.models import User
from carebridge.clinic.models import StaffRole
from carebridge.clinic.role_groups import sync_role_groups
from carebridge.notifications.models import Notice, NoticeKind, NoticeStatus
from carebridge.testing import factories
from tests.browser.test_staff_inbox import _check
from tests.browser.test_staff_schedule import sign_in_staff


def _an_admin_with_a_failed_notice() -> User:
    # Browser tests start from an emptied database: put the role groups back.
    sync_role_groups(apps)
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    admin = factories.make_staff(
        clinic, StaffRole.CLINIC_ADMIN, with_mfa=False, email="ada@example.org", first_name="Ada"
    )
    now = timezone.now()
    Notice.objects.create(
        kind=NoticeKind.REMINDER,
        to_address="rosa@example.org",
        subject="[Carebridge] Reminder: you have an appointment",
        body="Sign in to see the details.\n",
        clinic=clinic,
        status=NoticeStatus.FAILED,
        attempts=1,
        last_error="SMTPRecipientsRefused 550",
        next_attempt_at=now,
        created_at=now,
        queued_at=now,
        failed_at=now,
    )
    return admin


def test_the_admin_retries_a_failed_email(page: Page) -> None:
    sign_in_staff(page, _an_admin_with_a_failed_notice())
    page.get_by_role("link", name="Undelivered e-mails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Undelivered e-mails")
    expect(page.get_by_role("rowheader", name="r***@example.org")).to_be_visible()
    _check(page)
    page.get_by_role("button", name="Retry the e-mail to r***@example.org").click()
    expect(page.get_by_text("The e-mail is in the queue again.")).to_be_visible()
    expect(page.get_by_text("No e-mails have failed.")).to_be_visible()
    _check(page)
