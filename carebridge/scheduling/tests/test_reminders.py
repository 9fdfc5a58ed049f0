"""Reminder e-mails: which are due, each sent once, none for a cancelled, moved or started
appointment, the words (no health information), and the real path through the database task
queue and its worker."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from carebridge.notifications.models import Notice, NoticeKind, NoticeStatus
from carebridge.notifications.services.delivery import deliver_due_notices
from carebridge.scheduling.models import AppointmentReminder, AppointmentStatus
from carebridge.scheduling.services.reminders import (
    due_offset,
    queue_due_reminders,
    send_reminder,
)
from carebridge.scheduling.tests.factories import local, make_appointment, make_schedule
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

SUBJECT = "[Carebridge] Reminder: you have an appointment"
BODY = (
    "This is a reminder that you have an appointment on Monday, March 9, 2026 at 9:30 a.m. EDT.\n\n"
    "If you cannot come, please cancel or move it online so that someone else can have the "
    "time. You may also be able to check in online before you come.\n\n"
    "Sign in to see the details:\n\n"
    "http://testserver.example/account/login/\n"
)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.CAREBRIDGE_REMINDER_HOURS = [72, 24]
    settings.CAREBRIDGE_BASE_URL = "http://testserver.example"


@pytest.fixture
def visit(cast):
    """Pat's check-up on Monday, March 9, 2026 at 9:30 New York time (after the clocks went
    forward on the 8th), booked on 4 March with the reason "Chest pain on stairs"."""
    schedule = make_schedule(cast.clinic, name="Heart check")
    return make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 9, 9, 30),
        reason="Chest pain on stairs",
    )


def sweep(moment: datetime.datetime, capture) -> int:
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return queue_due_reminders(now=moment)


def ledger() -> list[tuple[int, bool]]:
    rows = AppointmentReminder.objects.order_by("-hours_before")
    return [(row.hours_before, row.sent_at is not None) for row in rows]


def test_nothing_is_due_before_the_first_reminder_time(visit, django_capture_on_commit_callbacks):
    assert sweep(local(2026, 3, 6, 8, 29), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert ledger() == []


def test_each_reminder_goes_once_at_its_time(cast, visit, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    # 72 hours before, across the DST change: Friday, March 6 at 8:30 EST, not 9:30.
    assert sweep(local(2026, 3, 6, 8, 30), capture) == 1
    assert sweep(local(2026, 3, 6, 11, 0), capture) == 0
    assert ledger() == [(72, True)]
    assert sweep(local(2026, 3, 8, 9, 29), capture) == 0
    assert sweep(local(2026, 3, 8, 9, 30), capture) == 1
    assert sweep(local(2026, 3, 8, 10, 0), capture) == 0
    assert ledger() == [(72, True), (24, True)]
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        (SUBJECT, BODY, [cast.patient.user.email])
    ] * 2


def test_the_reminder_holds_no_health_information(cast, visit, django_capture_on_commit_callbacks):
    sweep(local(2026, 3, 8, 10, 0), django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    text = message.subject + message.body
    assert "Chest" not in text
    assert "Heart" not in text
    assert not mentions(text, "Okafor")
    assert visit.location.name not in text
    assert not mentions(text, "Pat")


def test_a_late_sweep_sends_only_the_nearest_reminder(visit, django_capture_on_commit_callbacks):
    assert sweep(local(2026, 3, 8, 12, 0), django_capture_on_commit_callbacks) == 1
    assert ledger() == [(24, True)]
    assert len(mail.outbox) == 1


def test_no_reminder_for_a_time_passed_before_the_booking(cast, django_capture_on_commit_callbacks):
    """Booked on 4 March at 10:00 for the 5th at 9:00: the 72-hour time was before the booking,
    and the 24-hour time comes on the 4th at 9:00, also before it. No reminder at all."""
    schedule = make_schedule(cast.clinic)
    soon = make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 5, 9, 0),
    )
    assert sweep(local(2026, 3, 4, 11, 0), django_capture_on_commit_callbacks) == 0
    assert due_offset(soon, local(2026, 3, 4, 11, 0), [72, 24]) is None
    assert mail.outbox == []


def test_a_cancelled_appointment_is_not_reminded(visit, django_capture_on_commit_callbacks):
    visit.status = AppointmentStatus.CANCELLED
    visit.save()
    assert sweep(local(2026, 3, 8, 10, 0), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_reminder_queued_before_a_cancellation_is_not_sent(visit):
    reminder = AppointmentReminder.objects.create(
        appointment=visit, hours_before=24, starts_at=visit.starts_at
    )
    visit.status = AppointmentStatus.CANCELLED
    visit.save()
    assert send_reminder(reminder.pk, now=local(2026, 3, 8, 10, 0)) is False
    assert mail.outbox == []


def test_a_moved_appointment_is_reminded_of_its_new_time(visit, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    sweep(local(2026, 3, 8, 10, 0), capture)
    old = AppointmentReminder.objects.get()
    visit.starts_at = local(2026, 3, 10, 9, 30)
    visit.ends_at = visit.starts_at + datetime.timedelta(minutes=20)
    visit.save()
    assert send_reminder(old.pk, now=local(2026, 3, 8, 10, 1)) is False
    assert sweep(local(2026, 3, 9, 10, 0), capture) == 1
    assert len(mail.outbox) == 2
    assert "Tuesday, March 10, 2026 at 9:30 a.m. EDT" in mail.outbox[1].body


def test_sending_twice_sends_one_email(visit, django_capture_on_commit_callbacks):
    sweep(local(2026, 3, 8, 10, 0), django_capture_on_commit_callbacks)
    reminder = AppointmentReminder.objects.get()
    assert send_reminder(reminder.pk, now=local(2026, 3, 8, 10, 5)) is False
    assert len(mail.outbox) == 1


def test_an_unsent_reminder_is_queued_again_after_a_while(
    visit, settings, django_capture_on_commit_callbacks
):
    """The queue lost the task (no e-mail went out): the sweep queues it again 15 minutes on."""
    capture = django_capture_on_commit_callbacks
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert sweep(local(2026, 3, 8, 10, 0), capture) == 1
    assert sweep(local(2026, 3, 8, 10, 14), capture) == 0
    assert sweep(local(2026, 3, 8, 10, 16), capture) == 1
    assert ledger() == [(24, False)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_queues_and_the_database_worker_sends(cast, visit, settings):
    """The real path: `carebridge appointment-jobs` records the reminder and puts a task in the
    database queue; `db_worker` (what runs beside the servers) sends it. Transactional: the
    worker closes its database connection when done, as it does in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with time_machine.travel(local(2026, 3, 8, 10, 0), tick=False):
        call_command("appointment_jobs", stdout=io.StringIO())
        assert mail.outbox == []
        assert DBTaskResult.objects.count() == 1
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert [(m.subject, m.to) for m in mail.outbox] == [(SUBJECT, [cast.patient.user.email])]
    assert ledger() == [(24, True)]


def test_with_the_relay_down_the_reminder_waits_in_the_outbox_and_goes_once(
    visit, relay_down, settings, django_capture_on_commit_callbacks
):
    moment = local(2026, 3, 6, 8, 30)
    assert sweep(moment, django_capture_on_commit_callbacks) == 1
    # The reminder is done: its notice is written and waits for the relay.
    assert ledger() == [(72, True)]
    notice = Notice.objects.get()
    assert (notice.kind, notice.status, notice.attempts, notice.body) == (
        NoticeKind.REMINDER,
        NoticeStatus.QUEUED,
        1,
        BODY,
    )
    assert mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sweep(moment + datetime.timedelta(minutes=20), django_capture_on_commit_callbacks) == 0
    assert deliver_due_notices(now=moment + datetime.timedelta(minutes=20)) == 1
    assert deliver_due_notices(now=moment + datetime.timedelta(hours=2)) == 0
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["pat@example.org"], SUBJECT, BODY)
    ]
