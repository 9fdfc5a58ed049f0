"""Writing to the outbox: a notice is a row of the change's transaction, delivered once after
commit, its body cleared once sent; a change that rolls back sends nothing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from carebridge.notifications.models import Notice, NoticeKind, NoticeStatus
from carebridge.notifications.services import queue_notice
from carebridge.notifications.services.delivery import deliver_due_notices, deliver_notice

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)


class ChangeFailedError(Exception):
    pass


def write(address: str = "ann@example.org", **fields) -> Notice | None:
    arguments = {
        "kind": NoticeKind.MESSAGE,
        "address": address,
        "subject": "[Carebridge] New",
        "body": "Something new.\n",
    }
    return queue_notice(**(arguments | fields))


def test_a_notice_written_in_a_change_that_rolls_back_is_never_sent(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ChangeFailedError),
        transaction.atomic(),
    ):
        write()
        raise ChangeFailedError
    assert (callbacks, Notice.objects.count(), mail.outbox) == ([], 0, [])
    assert deliver_due_notices() == 0
    assert mail.outbox == []


def test_a_committed_notice_is_sent_once_and_its_body_cleared(django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        notice = write(subject="[Carebridge] Reset your password", body="Link: https://x/1\n")
    assert [(m.subject, m.to, m.from_email, m.body) for m in mail.outbox] == [
        (
            "[Carebridge] Reset your password",
            ["ann@example.org"],
            "Carebridge <no-reply@carebridge.invalid>",
            "Link: https://x/1\n",
        )
    ]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.sent_at, notice.body, notice.last_error) == (
        NoticeStatus.SENT,
        1,
        NOW,
        "",
        "",
    )
    assert notice.subject == "[Carebridge] Reset your password"
    # The task run again, and the sweep much later, send nothing more.
    assert deliver_notice(notice.pk) is False
    assert deliver_due_notices(now=NOW + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_the_clinic_is_found_from_the_address_when_not_given(cast):
    pats = write("pat@example.org")
    nurses = write(cast.nurse.email)
    strangers = write("stranger@example.org")
    assert (pats.clinic, nurses.clinic, strangers.clinic) == (cast.clinic, cast.clinic, None)
    assert write("stranger@example.org", clinic=cast.other_clinic).clinic == cast.other_clinic


def test_no_address_no_notice():
    assert write("") is None
    assert Notice.objects.count() == 0
