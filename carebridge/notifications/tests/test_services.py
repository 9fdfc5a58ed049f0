"""New-message notices as each person chose: one e-mail per message, or at most one a day;
nothing in them but that there is something new."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from carebridge.notifications.models import (
    MessageEmails,
    Notice,
    NoticeKind,
    NoticeStatus,
    NotificationPreference,
)
from carebridge.notifications.services import (
    choose_message_emails,
    notify_new_message,
    send_daily_digests,
)
from carebridge.notifications.services.delivery import deliver_due_notices
from carebridge.testing import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
LATER = NOW + datetime.timedelta(hours=3)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.CAREBRIDGE_BASE_URL = "https://portal.example.org"


def notify(users, addresses=(), now=NOW):
    notify_new_message(
        users=users, addresses=list(addresses), subject="[Carebridge] New", sentence="New.", now=now
    )


def test_without_a_choice_each_message_sends_an_email(django_capture_on_commit_callbacks):
    ann = factories.make_user(email="ann@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify([ann], ["nokid@example.org"])
    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        (
            "[Carebridge] New",
            ["ann@example.org"],
            "New.\n\nSign in to read it:\n\nhttps://portal.example.org/account/login/\n",
        ),
        (
            "[Carebridge] New",
            ["nokid@example.org"],
            "New.\n\nSign in to read it:\n\nhttps://portal.example.org/account/login/\n",
        ),
    ]


def test_the_daily_choice_waits_for_the_digest(django_capture_on_commit_callbacks):
    ann = factories.make_user(email="ann@example.org")
    choose_message_emails(user=ann, choice="daily")
    with django_capture_on_commit_callbacks(execute=True):
        notify([ann])
        notify([ann], now=LATER)
    assert mail.outbox == []
    assert NotificationPreference.objects.get(user=ann).pending_since == NOW
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests(now=LATER) == 1
        assert send_daily_digests(now=LATER) == 0
    assert [(m.subject, m.to, m.body.splitlines()[0]) for m in mail.outbox] == [
        (
            "[Carebridge] You have new messages",
            ["ann@example.org"],
            "Something new is waiting for you in Carebridge.",
        )
    ]
    preference = NotificationPreference.objects.get(user=ann)
    assert (preference.pending_since, preference.last_digest_at) == (None, LATER)


def test_nothing_new_means_no_digest(django_capture_on_commit_callbacks):
    ann = factories.make_user(email="ann@example.org")
    choose_message_emails(user=ann, choice="daily")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests(now=NOW) == 0
    assert mail.outbox == []


def test_going_back_to_each_message_forgets_the_waiting_digest():
    ann = factories.make_user(email="ann@example.org")
    choose_message_emails(user=ann, choice="daily")
    notify([ann])
    preference = choose_message_emails(user=ann, choice="each")
    assert (preference.message_emails, preference.pending_since) == (MessageEmails.EACH, None)


def test_the_command_sends_the_digests(django_capture_on_commit_callbacks):
    ann = factories.make_user(email="ann@example.org")
    choose_message_emails(user=ann, choice="daily")
    notify([ann])
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=output)
    assert output.getvalue() == "Daily e-mails sent: 1.\n"
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]


def test_with_the_relay_down_the_digest_still_arrives_later_once(
    relay_down, settings, django_capture_on_commit_callbacks
):
    ann = factories.make_user(email="ann@example.org")
    choose_message_emails(user=ann, choice="daily")
    notify([ann])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_digests(now=LATER) == 1
    # The digest is done: its notice is the promise, waiting in the outbox.
    preference = NotificationPreference.objects.get(user=ann)
    assert (preference.pending_since, preference.last_digest_at) == (None, LATER)
    notice = Notice.objects.get()
    assert (notice.kind, notice.status, notice.attempts, notice.last_error) == (
        NoticeKind.DIGEST,
        NoticeStatus.QUEUED,
        1,
        "ConnectionRefusedError",
    )
    assert mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = notice.next_attempt_at
    assert deliver_due_notices(now=later) == 1
    assert send_daily_digests(now=later) == 0
    assert deliver_due_notices(now=later + datetime.timedelta(hours=1)) == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["ann@example.org"], "[Carebridge] You have new messages")
    ]
