"""Reads of the outbox for the clinic's console: how many notices wait, and which failed.

Privacy rule: a clinic sees only its own notices, and addresses only masked (j***@example.org);
never a subject or body.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min

from carebridge.clinic.models import Clinic
from carebridge.notifications.models import Notice, NoticeStatus

FAILED_SHOWN = 50


@dataclass(frozen=True)
class OutboxSummary:
    queued: int
    failed: int
    oldest_queued_at: datetime.datetime | None


@dataclass(frozen=True)
class FailedNotice:
    pk: int
    masked_address: str
    kind: str
    reason: str
    attempts: int
    failed_at: datetime.datetime | None


def get_outbox_summary(clinic: Clinic) -> OutboxSummary:
    """The clinic's queued and failed notices counted, and when the oldest queued one was
    written; one query."""
    rows = (
        Notice.objects.filter(clinic=clinic, status__in=[NoticeStatus.QUEUED, NoticeStatus.FAILED])
        .values("status")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
        .order_by()
    )
    by_status = {row["status"]: row for row in rows}
    queued = by_status.get(NoticeStatus.QUEUED, {})
    return OutboxSummary(
        queued=queued.get("count", 0),
        failed=by_status.get(NoticeStatus.FAILED, {}).get("count", 0),
        oldest_queued_at=queued.get("oldest"),
    )


def list_failed_notices(clinic: Clinic) -> list[FailedNotice]:
    """The clinic's most recently failed notices (at most `FAILED_SHOWN`), addresses masked."""
    failed = Notice.objects.filter(clinic=clinic, status=NoticeStatus.FAILED).order_by(
        "-failed_at", "-pk"
    )[:FAILED_SHOWN]
    return [
        FailedNotice(
            pk=notice.pk,
            masked_address=mask_address(notice.to_address),
            kind=notice.get_kind_display(),
            reason=notice.last_error,
            attempts=notice.attempts,
            failed_at=notice.failed_at,
        )
        for notice in failed.only("pk", "to_address", "kind", "last_error", "attempts", "failed_at")
    ]


def mask_address(address: str) -> str:
    """The first letter of the mailbox and the whole domain: "j***@example.org"."""
    mailbox, _at, domain = address.partition("@")
    return f"{mailbox[:1]}***@{domain}" if domain else "***"
