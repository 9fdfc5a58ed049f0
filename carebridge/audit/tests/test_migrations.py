"""Migration 0005 seals the events of the old SHA-256 chain, and refuses a broken one."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carebridge.audit.models import AuditChainHead, AuditEvent, AuditSeal
from carebridge.testing.audit import verify

BEFORE = [("audit", "0004_proxy_actions")]
WHEN = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    """The audit app's newest migration, so the current models match the schema after it."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes("audit")


def _empty_audit_tables() -> None:
    """Remove the test's events whichever schema failed: TRUNCATE passes PostgreSQL's triggers."""
    names = ["audit_auditseal", "audit_auditpendingevent", "audit_auditevent"]
    tables = [name for name in names if name in connection.introspection.table_names()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)}")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


@pytest.fixture
def old_schema() -> Iterator[None]:
    """The audit tables as the previous release left them; the current ones afterwards."""
    _migrate(BEFORE)
    try:
        yield
    finally:
        _empty_audit_tables()
        _migrate(_latest())


def _object_id(sequence: int, broken_at: int) -> str:
    return "edited" if sequence == broken_at else str(sequence)


def _old_chain(count: int, *, broken_at: int = 0) -> None:
    """`count` events chained as the previous release did, the `broken_at`th edited after."""
    previous = "0" * 64
    with connection.cursor() as cursor:
        for sequence in range(1, count + 1):
            occurred = WHEN + datetime.timedelta(minutes=sequence)
            parts = [previous, str(sequence), occurred.isoformat(timespec="microseconds"), "", ""]
            parts += ["", "system", "view", "page", str(sequence), "success", "", "", ""]
            digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
            cursor.execute(
                "INSERT INTO audit_auditevent (sequence, occurred_at, actor_label, acting_as, "
                "action, object_type, object_id, outcome, ip, user_agent, request_id, "
                "prev_hash, hash) VALUES (%s, %s, '', 'system', 'view', 'page', %s, 'success', "
                "'', '', '', %s, %s)",
                [sequence, occurred, _object_id(sequence, broken_at), previous, digest],
            )
            previous = digest
        cursor.execute(
            "UPDATE audit_auditchainhead SET sequence = %s, hash = %s", [count, previous]
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_events_are_sealed_in_their_old_order_and_verify(old_schema: None) -> None:
    _old_chain(3)
    _migrate(_latest())
    sealed = list(
        AuditSeal.objects.order_by("position").values_list("position", "event__object_id")
    )
    assert sealed == [(1, "1"), (2, "2"), (3, "3")]
    head = AuditChainHead.objects.get(pk=1)
    assert (head.position, head.chain_hash) == (3, AuditSeal.objects.get(position=3).chain_hash)
    assert AuditEvent.objects.get(object_id="2").occurred_at == WHEN + datetime.timedelta(minutes=2)
    assert verify() == (0, "Audit trail intact: 3 sealed events.\n", "")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broken_old_chain_stops_the_migration(old_schema: None) -> None:
    _old_chain(3, broken_at=2)
    with pytest.raises(RuntimeError, match="The old audit chain is broken at event 2"):
        _migrate(_latest())
