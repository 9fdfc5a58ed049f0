"""Helpers for audit-trail tests: recording events, running verify-audit, and tampering."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management import call_command
from django.db import connection

from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.audit.services import record_event

if TYPE_CHECKING:
    from carebridge.testing.personas import Cast

_TRIGGERS = {
    "audit_event_no_update": "audit_auditevent",
    "audit_seal_no_update": "audit_auditseal",
}


def record_views(cast: Cast, count: int, start: int = 1) -> list[AuditEvent]:
    """Pat views her account activity `count` times (object ids `start`, `start` + 1, …)."""
    return [
        record_event(
            actor=cast.patient_user,
            action=AuditAction.VIEW,
            object_type="account_activity",
            object_id=number,
            patient=cast.patient,
            acting_as="self",
        )
        for number in range(start, start + count)
    ]


def verify(checkpoints: Path | None = None) -> tuple[int, str, str]:
    """Run `verify_audit`; return (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    arguments = ["--checkpoints", str(checkpoints)] if checkpoints is not None else []
    try:
        call_command("verify_audit", *arguments, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(str(exit_.code)), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def tamper(*statements: tuple[str, list[Any]]) -> None:
    """Change the trail behind the models' backs, as someone with database access could.

    Drops the append-only triggers first; the test's transaction is rolled back afterwards, and
    the drop with it.
    """
    with connection.cursor() as cursor:
        for trigger, table in _TRIGGERS.items():
            on_table = f" ON {table}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}{on_table}")
        for sql, params in statements:
            cursor.execute(sql, params)
