"""The undelivered e-mails page: a clinic administrator sees the clinic's waiting and failed
notices (addresses masked, no subject or body) and puts failed ones back in the queue; another
clinic's notices are neither shown nor retried. Viewing and each retry are audited."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.audit.models import AuditEvent
from carebridge.notifications.models import Notice, NoticeKind, NoticeStatus
from carebridge.testing.clients import client_for, flashed

pytestmark = pytest.mark.django_db

URL = "/staff/notices/"
NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)


def notice(clinic, address: str, status: str, **fields) -> Notice:
    values = {
        "kind": NoticeKind.SECURITY,
        "to_address": address,
        "subject": "[Carebridge] Reset your password",
        "body": "https://portal.example.org/reset/secret/\n",
        "clinic": clinic,
        "status": status,
        "next_attempt_at": NOW,
        "created_at": NOW,
        "queued_at": NOW,
    }
    return Notice.objects.create(**(values | fields))


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def notices(cast) -> dict[str, Notice]:
    failed_at = NOW + datetime.timedelta(days=3)
    return {
        "waiting": notice(cast.clinic, "pat@example.org", NoticeStatus.QUEUED, attempts=2),
        "later": notice(
            cast.clinic,
            "sam@example.org",
            NoticeStatus.QUEUED,
            created_at=NOW + datetime.timedelta(hours=1),
        ),
        "failed": notice(
            cast.clinic,
            "jo@example.org",
            NoticeStatus.FAILED,
            kind=NoticeKind.REMINDER,
            attempts=1,
            last_error="SMTPRecipientsRefused 550",
            failed_at=failed_at,
        ),
        "sent": notice(cast.clinic, "kim@example.org", NoticeStatus.SENT),
        "theirs": notice(cast.other_clinic, "oz@example.org", NoticeStatus.FAILED),
    }


def test_the_admin_sees_counts_the_oldest_and_the_failed_masked(cast, notices):
    with time_machine.travel(NOW + datetime.timedelta(hours=5), tick=False):
        response = client_for(cast.clinic_admin).get(URL)
    html = response.content.decode()
    text = words(html)
    assert response.status_code == 200
    assert "<h1>Undelivered e-mails</h1>" in html
    assert (
        "E-mails waiting to be sent 2 Oldest waiting e-mail written 5 hours ago "
        "Failed e-mails 1" in text
    )
    assert "<caption>1 failed e-mail, most recent first</caption>" in html
    assert (
        "j***@example.org Appointment reminder SMTPRecipientsRefused 550 1 "
        "March 7, 2026, 10:00 a.m. Retry" in text
    )
    assert '<button type="submit" aria-label="Retry the e-mail to j***@example.org">' in html
    assert '<th scope="row">j***@example.org</th>' in html
    for hidden in ("jo@example.org", "oz@", "Reset your password", "secret"):
        assert hidden not in html
    event = AuditEvent.objects.get(object_type="notice")
    assert (event.actor, event.action) == (cast.clinic_admin, "view")


def queries_for_page(admin) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert admin.get(URL).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_one_or_many_failed(cast):
    admin = client_for(cast.clinic_admin)
    notice(cast.clinic, "p@example.org", NoticeStatus.FAILED, failed_at=NOW)
    admin.get(URL)
    one = queries_for_page(admin)
    for number in range(30):
        notice(cast.clinic, f"p{number}@example.org", NoticeStatus.FAILED, failed_at=NOW)
    assert queries_for_page(admin) == one


def test_nothing_failed_says_so(cast):
    text = words(client_for(cast.clinic_admin).get(URL).content.decode())
    assert (
        "Oldest waiting e-mail None waiting Failed e-mails 0 Failed No e-mails have failed." in text
    )


def test_retry_puts_one_failed_notice_back_and_it_is_sent(
    cast, notices, django_capture_on_commit_callbacks
):
    failed = notices["failed"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.clinic_admin).post(f"{URL}{failed.pk}/retry/")
    assert (response.status_code, response["Location"]) == (302, URL)
    assert flashed(response) == ["The e-mail is in the queue again."]
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.body) == (NoticeStatus.SENT, 1, "")
    event = AuditEvent.objects.get(object_type="notice", action="update")
    assert (event.actor, event.object_id) == (cast.clinic_admin, str(failed.pk))


def test_retry_all_puts_back_only_the_clinics_failed_notices(cast, notices):
    response = client_for(cast.clinic_admin).post(f"{URL}retry/")
    assert flashed(response) == ["1 e-mail is in the queue again."]
    statuses = {name: Notice.objects.get(pk=n.pk).status for name, n in notices.items()}
    assert (statuses["theirs"], statuses["sent"]) == (NoticeStatus.FAILED, NoticeStatus.SENT)


def test_another_clinics_notice_is_a_404_and_stays_failed(cast, notices):
    theirs = notices["theirs"]
    response = client_for(cast.clinic_admin).post(f"{URL}{theirs.pk}/retry/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == NoticeStatus.FAILED
    assert not AuditEvent.objects.filter(object_type="notice", action="update").exists()


def test_a_queued_notice_cannot_be_retried(cast, notices):
    response = client_for(cast.clinic_admin).post(f"{URL}{notices['waiting'].pk}/retry/")
    assert response.status_code == 404


def test_the_retry_needs_a_post(cast, notices):
    response = client_for(cast.clinic_admin).get(f"{URL}{notices['failed'].pk}/retry/")
    assert response.status_code == 405
