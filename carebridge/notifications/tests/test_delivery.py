"""Delivering the outbox: retries with growing back-off while the relay is down, a permanent
refusal fails at once with its reason, three days of failures fail the notice, one failing
notice never stops another, and a clinic administrator's retry puts failed ones back."""

from __future__ import annotations

import datetime
import io
import random
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from carebridge.audit.models import AuditEvent
from carebridge.notifications.models import Notice, NoticeKind, NoticeStatus
from carebridge.notifications.services import queue_notice
from carebridge.notifications.services.delivery import (
    deliver_due_notices,
    deliver_notice,
    describe_failure,
    is_relay_unreachable,
    retry_delay,
    retry_failed_notices,
)
from carebridge.testing.concurrency import at_the_same_moment, postgres_race

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
WORKERS = 4


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def write(address: str = "ann@example.org", clinic=None) -> Notice:
    with transaction.atomic():
        notice = queue_notice(
            kind=NoticeKind.SECURITY,
            address=address,
            subject="[Carebridge] New sign-in",
            body="Someone signed in.\n",
            clinic=clinic,
        )
    assert notice is not None
    return notice


def fresh(notice: Notice) -> Notice:
    notice.refresh_from_db()
    return notice


@pytest.mark.parametrize(
    ("jitter", "seconds"),
    [
        ("none", [60, 120, 240, 480, 960, 1920, 3600, 3600]),
        ("most", [66, 132, 264, 528, 1056, 2112, 3960, 3960]),
    ],
)
def test_the_back_off_doubles_up_to_an_hour_with_up_to_a_tenth_more(monkeypatch, jitter, seconds):
    monkeypatch.setattr(random, "uniform", lambda low, high: low if jitter == "none" else high)
    delays = [retry_delay(attempts).total_seconds() for attempts in range(1, 9)]
    assert delays == seconds


@pytest.mark.parametrize(
    ("error", "described"),
    [
        (
            smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"No such user")}),
            ("SMTPRecipientsRefused 550", True),
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@x.org": (451, b"Later")}),
            ("SMTPRecipientsRefused 451", False),
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@x.org": (550, b"No"), "b@x.org": (450, b"Later")}),
            ("SMTPRecipientsRefused 450 550", False),
        ),
        (smtplib.SMTPDataError(554, b"Rejected"), ("SMTPDataError 554", True)),
        (smtplib.SMTPDataError(421, b"Busy"), ("SMTPDataError 421", False)),
        (
            smtplib.SMTPAuthenticationError(535, b"Bad password"),
            ("SMTPAuthenticationError 535", False),
        ),
        (smtplib.SMTPServerDisconnected("gone"), ("SMTPServerDisconnected", False)),
        (ConnectionRefusedError(111, "Connection refused"), ("ConnectionRefusedError", False)),
        (TimeoutError(), ("TimeoutError", False)),
    ],
)
def test_a_failure_is_described_by_its_type_and_code_only(error, described):
    assert describe_failure(error) == described


def test_while_the_relay_is_down_the_notice_waits_longer_each_time(
    relay_down, frozen, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(random, "uniform", lambda low, high: low)
    with django_capture_on_commit_callbacks(execute=True):
        notice = write()
    notice = fresh(notice)
    assert (notice.status, notice.attempts, notice.next_attempt_at, notice.last_error) == (
        NoticeStatus.QUEUED,
        1,
        NOW + MINUTE,
        "ConnectionRefusedError",
    )
    assert deliver_due_notices(now=NOW + MINUTE - datetime.timedelta(seconds=1)) == 0
    assert fresh(notice).attempts == 1
    assert deliver_due_notices(now=NOW + MINUTE) == 0
    assert (fresh(notice).attempts, fresh(notice).next_attempt_at) == (2, NOW + 3 * MINUTE)
    # The relay is back: the next sweep sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_due_notices(now=NOW + 3 * MINUTE) == 1
    assert deliver_due_notices(now=NOW + 60 * MINUTE) == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ann@example.org"], "[Carebridge] New sign-in")
    ]
    notice = fresh(notice)
    assert (notice.status, notice.attempts, notice.sent_at, notice.body) == (
        NoticeStatus.SENT,
        3,
        NOW + 3 * MINUTE,
        "",
    )


def test_after_three_days_of_failures_the_notice_fails(relay_down, frozen):
    notice = write()
    assert deliver_due_notices(now=NOW + datetime.timedelta(days=3) - MINUTE) == 0
    assert fresh(notice).status == NoticeStatus.QUEUED
    assert deliver_due_notices(now=NOW + datetime.timedelta(days=3, hours=2)) == 0
    notice = fresh(notice)
    assert (notice.status, notice.attempts, notice.last_error, notice.failed_at) == (
        NoticeStatus.FAILED,
        2,
        "ConnectionRefusedError",
        NOW + datetime.timedelta(days=3, hours=2),
    )
    assert deliver_due_notices(now=NOW + datetime.timedelta(days=9)) == 0


def test_a_sweep_stops_at_the_first_notice_the_relay_could_not_be_reached_for(
    relay_down, frozen, settings
):
    # The tasks queued on commit are left for the sweep.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    notices = [write(f"person{n}@example.org") for n in range(3)]
    assert deliver_due_notices(now=NOW) == 0
    assert [(fresh(n).attempts, fresh(n).last_error) for n in notices] == [
        (1, "ConnectionRefusedError"),
        (0, ""),
        (0, ""),
    ]


@pytest.mark.parametrize(
    ("error", "unreachable"),
    [
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPConnectError(421, b"busy"), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no")}), False),
        (smtplib.SMTPDataError(451, b"later"), False),
        (ValueError("a bug"), False),
    ],
)
def test_which_failures_mean_the_relay_is_unreachable(error, unreachable):
    assert is_relay_unreachable(error) is unreachable


def test_a_relay_delivers_it_and_a_permanent_refusal_fails_at_once(smtp_relay, frozen):
    smtp_relay.refusals["gone@example.org"] = "550 5.1.1 No such user"
    smtp_relay.refusals["full@example.org"] = "452 4.2.2 Mailbox full"
    gone, full, ann = write("gone@example.org"), write("full@example.org"), write()
    # One notice refused does not stop the others.
    assert deliver_due_notices(now=NOW) == 1
    assert [(m["To"], m["Subject"]) for m in smtp_relay.received] == [
        ("ann@example.org", "[Carebridge] New sign-in")
    ]
    assert smtp_relay.received[0].get_payload() == "Someone signed in.\n"
    summary = [
        (n.status, n.attempts, n.last_error, n.failed_at)
        for n in (fresh(gone), fresh(full), fresh(ann))
    ]
    assert summary == [
        (NoticeStatus.FAILED, 1, "SMTPRecipientsRefused 550", NOW),
        (NoticeStatus.QUEUED, 1, "SMTPRecipientsRefused 452", None),
        (NoticeStatus.SENT, 1, "", None),
    ]
    # The failed notice keeps its body, so that a retry can still send it.
    assert fresh(gone).body == "Someone signed in.\n"


def test_a_clinic_administrator_retries_the_clinics_failed_notices(
    cast, relay_down, settings, django_capture_on_commit_callbacks
):
    ours = write("gone@example.org", clinic=cast.clinic)
    theirs = write("away@example.org", clinic=cast.other_clinic)
    Notice.objects.update(status=NoticeStatus.FAILED, attempts=9, last_error="TimeoutError")
    assert (
        retry_failed_notices(
            actor=cast.other_clinic_admin,
            clinic=cast.other_clinic,
            notice_ids=[ours.pk],
            request=None,
        )
        == 0
    )
    assert fresh(ours).status == NoticeStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        retried = retry_failed_notices(
            actor=cast.clinic_admin, clinic=cast.clinic, notice_ids=None, request=None
        )
    assert retried == 1
    assert [m.to for m in mail.outbox] == [["gone@example.org"]]
    assert (fresh(ours).status, fresh(ours).attempts) == (NoticeStatus.SENT, 1)
    assert fresh(theirs).status == NoticeStatus.FAILED
    events = AuditEvent.objects.filter(object_type="notice")
    assert [(e.actor, e.action, e.object_id) for e in events] == [
        (cast.clinic_admin, "update", str(ours.pk))
    ]


@postgres_race("Workers at the same moment")
def test_four_workers_at_the_same_moment_send_a_notice_once(settings) -> None:
    # The task queued on commit is left for the workers below.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    notice = write()
    outcomes = at_the_same_moment(deliver_notice, [(notice.pk,)] * WORKERS)
    assert sorted(outcomes, key=str) == [False] * (WORKERS - 1) + [True]
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    assert (fresh(notice).status, fresh(notice).attempts) == (NoticeStatus.SENT, 1)


def test_the_deliver_notices_command_sends_what_is_due(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    write()
    out = io.StringIO()
    call_command("deliver_notices", stdout=out)
    call_command("deliver_notices", stdout=out)
    assert out.getvalue() == "Notices sent: 1.\nNotices sent: 0.\n"
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
