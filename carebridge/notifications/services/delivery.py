"""Delivering the outbox: at least once, with retries, and never failing the caller.

`deliver_notice` claims one due notice (a row lock that other workers skip), counts the attempt
and moves its next attempt into the future before sending, so a second worker or sweep leaves
it alone. It is marked sent only after the relay accepted it, and its body is then cleared. A
passing failure (connection refused, timeout, SMTP 4xx) leaves it queued for the next attempt,
1, 2, 4 … minutes later (at most an hour, with jitter), until `GIVE_UP_AFTER` has passed since it
was queued; a permanent refusal (SMTP 5xx for the recipient or the message) fails it at once.
A worker that dies after sending and before marking sends the notice again: at least once.

Privacy rule: `last_error` and the logs hold the exception type and SMTP code only, never the
address or the body. Audit: a clinic administrator's retry is audited in its transaction.
"""

from __future__ import annotations

import datetime
import functools
import logging
import random
import smtplib

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from carebridge.accounts.models import User
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic
from carebridge.notifications.models import Notice, NoticeStatus
from carebridge.notifications.services.outbox import enqueue_delivery

logger = logging.getLogger(__name__)

FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_RETRY = datetime.timedelta(hours=1)
# Spread retries by up to this share of the delay, so a relay coming back is not hit by every
# waiting notice in the same second.
JITTER = 0.1
GIVE_UP_AFTER = datetime.timedelta(days=3)
SWEEP_BATCH = 200


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long after its `attempts`-th failed attempt a notice is tried again."""
    base = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)
    return base + base * random.uniform(0, JITTER)


def deliver_notice(notice_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Send one notice if it is queued and due; returns whether it was sent now. Never raises
    for a delivery failure: the notice records it and waits for its next attempt."""
    return _deliver(notice_id, now or timezone.now()) == _SENT


def deliver_due_notices(*, now: datetime.datetime | None = None) -> int:
    """Deliver the queued notices whose next attempt has come, oldest first; returns how many
    were sent. Safe to run from two places at once: each notice is claimed before it is sent.

    The sweep stops at the first notice the relay could not even be reached for: the others
    would wait out the same connection time-out one after another, for nothing."""
    now = now or timezone.now()
    due = Notice.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True)
    sent = 0
    for pk in list(due[:SWEEP_BATCH]):
        outcome = _deliver(pk, now)
        if outcome == _UNREACHABLE:
            break
        sent += outcome == _SENT
    return sent


_SENT, _NOT_DUE, _REFUSED, _UNREACHABLE = "sent", "not due", "refused", "unreachable"


def _deliver(notice_id: int, now: datetime.datetime) -> str:
    notice = _claim(notice_id, now)
    if notice is None:
        return _NOT_DUE
    try:
        _send(notice)
    # Any failure, expected or not, stays here: the notice records it and waits for its next
    # attempt. No traceback is logged, since SMTP errors carry the address.
    except Exception as error:
        _record_failure(notice, error, now)
        return _UNREACHABLE if is_relay_unreachable(error) else _REFUSED
    Notice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.SENT, sent_at=now, body="", last_error=""
    )
    return _SENT


def is_relay_unreachable(error: Exception) -> bool:
    """Whether the relay could not be reached or dropped the connection (rather than answering
    about this one message): refused, timed out, disconnected, or no greeting."""
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _claim(notice_id: int, now: datetime.datetime) -> Notice | None:
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(skip_locked=True).due(now).filter(pk=notice_id).first()
        )
        if notice is None:
            return None
        notice.attempts += 1
        notice.next_attempt_at = now + retry_delay(notice.attempts)
        # Only if nobody claimed it since it was read: SQLite takes no row locks.
        claimed = Notice.objects.filter(
            pk=notice.pk, status=NoticeStatus.QUEUED, attempts=notice.attempts - 1
        ).update(attempts=notice.attempts, next_attempt_at=notice.next_attempt_at)
    return notice if claimed else None


def _send(notice: Notice) -> None:
    message = EmailMessage(subject=notice.subject, body=notice.body, to=[notice.to_address])
    with get_connection(fail_silently=False) as connection:
        connection.send_messages([message])


def _record_failure(notice: Notice, error: Exception, now: datetime.datetime) -> None:
    reason, is_permanent = describe_failure(error)
    gives_up = is_permanent or now - notice.queued_at >= GIVE_UP_AFTER
    logger.warning(
        "Notice %s (%s) not delivered on attempt %s: %s%s",
        notice.pk,
        notice.kind,
        notice.attempts,
        reason,
        " (failed)" if gives_up else "",
    )
    changes: dict[str, object] = {"last_error": reason}
    if gives_up:
        changes.update(status=NoticeStatus.FAILED, failed_at=now)
    Notice.objects.filter(pk=notice.pk, status=NoticeStatus.QUEUED).update(**changes)


def describe_failure(error: Exception) -> tuple[str, bool]:
    """The reason to record (exception type and SMTP code, nothing else) and whether the
    failure is permanent: the relay refused the recipient or the message with a 5xx code."""
    codes = _smtp_codes(error)
    reason = " ".join([type(error).__name__, *(str(code) for code in codes)])
    refused = isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError)
    is_permanent = refused and bool(codes) and all(code >= 500 for code in codes)
    return reason[:120], is_permanent


def _smtp_codes(error: Exception) -> list[int]:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return sorted({int(code) for code, _message in error.recipients.values()})
    if isinstance(error, smtplib.SMTPResponseException):
        return [int(error.smtp_code)]
    return []


def retry_failed_notices(
    *, actor: User, clinic: Clinic, notice_ids: list[int] | None, request: HttpRequest | None
) -> int:
    """Put the clinic's failed notices (those of `notice_ids`, or all) back in the queue, to be
    tried from now as if new; returns how many. Audit: one "update" event per notice, in the
    transaction. Another clinic's notice is left alone, as if it did not exist."""
    now = timezone.now()
    with transaction.atomic():
        failed = Notice.objects.select_for_update().filter(
            clinic=clinic, status=NoticeStatus.FAILED
        )
        if notice_ids is not None:
            failed = failed.filter(pk__in=notice_ids)
        retried = list(failed.values_list("pk", flat=True))
        failed.update(
            status=NoticeStatus.QUEUED,
            attempts=0,
            next_attempt_at=now,
            queued_at=now,
            failed_at=None,
        )
        for pk in retried:
            record_event(
                actor=actor,
                action=AuditAction.UPDATE,
                object_type="notice",
                object_id=pk,
                request=request,
            )
            transaction.on_commit(functools.partial(enqueue_delivery, pk), robust=True)
    return len(retried)
