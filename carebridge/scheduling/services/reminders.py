"""Reminder e-mails before appointments, sent by background tasks.

`queue_due_reminders` runs every few minutes (`carebridge appointment-jobs`): for each booked
appointment whose latest reminder time (`CAREBRIDGE_REMINDER_HOURS` before its start) has come, it
records one `AppointmentReminder` row and queues `send_reminder` for it after commit. The row is
the ledger: a reminder is queued and sent once, however often the sweep or the task runs, and an
appointment moved to another time is reminded of again for its new time.

Which reminder: only the nearest one that is due. A sweep that was not run for a day sends one
reminder, not two; an appointment booked after a reminder time gets no reminder for it (the
booking confirmation said the same thing moments before).

Privacy rule: the e-mail gives the date and time only; never the reason, the kind of visit, the
clinician or the place. Sign in to see the details.
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.accounts.languages import in_language_of_address
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import queue_notice
from carebridge.scheduling.models import Appointment, AppointmentReminder, AppointmentStatus
from carebridge.scheduling.services.booking import sign_in_link, when_words

# A queued reminder still unsent after this long (the mail relay was down, the worker stopped)
# is queued again by the next sweep.
REQUEUE_AFTER = datetime.timedelta(minutes=15)


def reminder_hours() -> list[int]:
    """The configured reminder times, nearest to the visit last (e.g. [72, 24])."""
    return sorted(
        {hours for hours in settings.CAREBRIDGE_REMINDER_HOURS if hours > 0}, reverse=True
    )


def due_offset(appointment: Appointment, now: datetime.datetime, hours: list[int]) -> int | None:
    """The nearest reminder time that has come for the appointment, or None: none has come yet,
    or the appointment was booked after it."""
    due = None
    for offset in hours:
        moment = appointment.starts_at - datetime.timedelta(hours=offset)
        if moment <= now and appointment.created_at <= moment:
            due = offset
    return due


def queue_due_reminders(*, now: datetime.datetime) -> int:
    """Record and queue the reminders that are due; returns how many were queued.

    Safe to run twice and from two servers at once: a reminder row is unique per appointment,
    reminder time and start, and a second sweep finds it already there (it queues it again only
    if it is still unsent `REQUEUE_AFTER` later; the task itself sends at most once). Reads one
    window of appointments (those starting within the longest reminder time).
    """
    from carebridge.scheduling.tasks import send_reminder_task

    hours = reminder_hours()
    if not hours:
        return 0
    window_end = now + datetime.timedelta(hours=hours[0])
    upcoming = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, starts_at__gt=now, starts_at__lte=window_end
    ).prefetch_related("reminders")
    queued = 0
    for appointment in upcoming:
        offset = due_offset(appointment, now, hours)
        if offset is None:
            continue
        key = (offset, appointment.starts_at)
        existing = [r for r in appointment.reminders.all() if (r.hours_before, r.starts_at) == key]
        if existing and (existing[0].sent_at or existing[0].queued_at > now - REQUEUE_AFTER):
            continue
        with transaction.atomic():
            reminder, created = AppointmentReminder.objects.get_or_create(
                appointment=appointment, hours_before=offset, starts_at=appointment.starts_at
            )
            if not created:
                # Queued long ago and still unsent: queue it again from now.
                reminder.queued_at = now
                reminder.save(update_fields=["queued_at"])
            transaction.on_commit(functools.partial(send_reminder_task.enqueue, reminder.pk))
            queued += 1
    return queued


def send_reminder(reminder_id: int, *, now: datetime.datetime) -> bool:
    """Write one queued reminder's notice to the outbox, unless it was sent already, the
    appointment was cancelled or moved since, or it has started. Returns whether a notice was
    written. Safe to run twice: the reminder row is locked and marked sent in the transaction
    that writes the notice (the outbox then delivers it, retrying while the relay is down)."""
    with transaction.atomic():
        reminder = (
            AppointmentReminder.objects.select_for_update(of=("self",))
            .select_related("appointment__patient__user", "appointment__visit_type__clinic")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at is not None:
            return False
        appointment = reminder.appointment
        still_on = (
            appointment.status == AppointmentStatus.BOOKED
            and appointment.starts_at == reminder.starts_at
            and appointment.starts_at > now
        )
        address = appointment.patient.notice_address
        if not still_on or not address:
            return False
        # Sent by the worker, which has no request: written in the patient's language.
        with in_language_of_address(address):
            queue_notice(
                kind=NoticeKind.REMINDER,
                address=address,
                subject=_("[Carebridge] Reminder: you have an appointment"),
                body=reminder_text(appointment),
                clinic=appointment.visit_type.clinic,
            )
        reminder.sent_at = now
        reminder.save(update_fields=["sent_at"])
    return True


def reminder_text(appointment: Appointment) -> str:
    """The reminder's words: when, and how to see, check in, move or cancel. Nothing else."""
    lines = [
        _("This is a reminder that you have an appointment on %(date)s at %(time)s.")
        % when_words(appointment),
        _(
            "If you cannot come, please cancel or move it online so that someone else can have "
            "the time. You may also be able to check in online before you come."
        ),
        _("Sign in to see the details:"),
        sign_in_link(),
    ]
    return "\n\n".join(lines) + "\n"
