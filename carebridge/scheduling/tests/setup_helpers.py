"""Helpers shared by the booking set-up service tests: the acting administrator, the audit
changes recorded, and the times availability offers on Monday, March 9, 2026."""

from __future__ import annotations

import datetime
from typing import Any

from carebridge.audit.models import AuditEvent
from carebridge.core.actor import Actor
from carebridge.scheduling.availability import available_slots
from carebridge.scheduling.models import VisitType
from carebridge.scheduling.tests.conftest import NOW
from carebridge.testing.personas import Cast

MONDAY = datetime.date(2026, 3, 9)


def admin(cast: Cast) -> Actor:
    """Ada, the clinic's administrator, at the tests' fixed moment."""
    return Actor(user=cast.clinic_admin, acting_as="staff", now=NOW)


def changes(object_type: str) -> list[tuple[str, str, str, Any]]:
    """Each audit event of `object_type`: action, object id, who, and the changes recorded."""
    rows = AuditEvent.objects.filter(object_type=object_type).order_by("sequence")
    return [(row.action, row.object_id, row.actor_label, row.changes) for row in rows]


def slot_starts(visit_type: VisitType) -> list[datetime.datetime]:
    """Every free time availability offers for `visit_type` on Monday, March 9, 2026."""
    slots = available_slots(visit_type, now=NOW, date_from=MONDAY, days=1, limit=None)
    return [slot.starts_at for slot in slots]
