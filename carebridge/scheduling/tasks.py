"""Background tasks of scheduling: thin wrappers that take ids, re-fetch and are safe to repeat."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from carebridge.scheduling.services.reminders import send_reminder


@task()
def send_reminder_task(reminder_id: int) -> bool:
    """Send one appointment reminder. Safe to run twice: a reminder is sent at most once."""
    return send_reminder(reminder_id, now=timezone.now())
