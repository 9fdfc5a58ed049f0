"""Background tasks of notifications: thin wrappers that take ids and are safe to repeat."""

from __future__ import annotations

from django_tasks import task

from carebridge.notifications.services.delivery import deliver_notice


@task()
def deliver_notice_task(notice_id: int) -> bool:
    """Deliver one notice from the outbox. Safe to run twice: a sent notice is not due."""
    return deliver_notice(notice_id)
