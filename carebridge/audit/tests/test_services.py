"""Recording events (no lock, no chain work in the request) and sealing them later."""

from __future__ import annotations

import json
import logging
import threading
import time
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from carebridge.audit.chain import GENESIS_HASH, audit_key, chain_hash
from carebridge.audit.models import (
    AuditAction,
    AuditChainHead,
    AuditEvent,
    AuditPendingEvent,
    AuditSeal,
)
from carebridge.audit.services import record_change, record_event, seal_pending_events
from carebridge.audit.tasks import seal_audit_trail_task
from carebridge.testing.audit import record_views, verify
from carebridge.testing.concurrency import postgres_race
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _checkpoint_lines() -> list[dict[str, object]]:
    path = settings.CAREBRIDGE_AUDIT_CHECKPOINT_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


@pytest.fixture(autouse=True)
def _no_checkpoints_yet() -> None:
    settings.CAREBRIDGE_AUDIT_CHECKPOINT_FILE.unlink(missing_ok=True)


def test_recording_inserts_the_event_and_queues_it_without_touching_the_chain(cast: Cast) -> None:
    head_before = AuditChainHead.objects.values_list("position", "chain_hash").get(pk=1)
    first, second = record_views(cast, 2)
    assert second.sequence > first.sequence
    assert list(AuditPendingEvent.objects.values_list("event_id", flat=True)) == [
        first.sequence,
        second.sequence,
    ]
    assert AuditSeal.objects.count() == 0
    assert AuditChainHead.objects.values_list("position", "chain_hash").get(pk=1) == head_before


def test_stored_event_keeps_what_was_recorded(cast: Cast) -> None:
    event = record_event(
        actor=cast.clinic_admin,
        action=AuditAction.VIEW,
        object_type="audit_report",
        object_id=42,
        acting_as="staff",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_label, stored.object_id, stored.acting_as) == ("Ada Admin", "42", "staff")


def test_a_configuration_change_keeps_only_what_changed_before_and_after(cast: Cast) -> None:
    event = record_change(
        actor=cast.clinic_admin,
        object_type="clinic",
        object_id=cast.clinic.pk,
        before={"name": "Old name", "phone": "555-0100", "days": 2},
        after={"name": "New name", "phone": "555-0100", "days": 3},
    )
    assert event is not None
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.acting_as, stored.patient_id) == ("update", "staff", None)
    assert stored.changes == {
        "days": {"before": 2, "after": 3},
        "name": {"before": "Old name", "after": "New name"},
    }
    # Sealed and verified after being read back from the database, like every event.
    seal_pending_events()
    assert verify()[0] == 0


def test_a_change_that_changes_nothing_records_nothing(cast: Cast) -> None:
    count = AuditEvent.objects.count()
    same = {"name": "Same", "phone": ""}
    assert (
        record_change(actor=cast.clinic_admin, object_type="clinic", before=same, after=same)
        is None
    )
    assert AuditEvent.objects.count() == count


def test_sealing_chains_each_event_in_id_order_and_moves_the_head(cast: Cast) -> None:
    events = record_views(cast, 3)
    assert seal_pending_events() == 3
    seals = list(AuditSeal.objects.order_by("position"))
    assert [(seal.position, seal.event_id) for seal in seals] == [
        (1, events[0].sequence),
        (2, events[1].sequence),
        (3, events[2].sequence),
    ]
    previous = GENESIS_HASH
    for seal, event in zip(seals, events, strict=True):
        stored = AuditEvent.objects.get(pk=event.pk)
        assert seal.chain_hash == chain_hash(previous, stored, key=audit_key())
        previous = seal.chain_hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.position, head.chain_hash) == (3, previous)
    assert AuditPendingEvent.objects.count() == 0


def test_sealing_twice_seals_nothing_twice(cast: Cast) -> None:
    record_views(cast, 2)
    assert seal_pending_events() == 2
    assert seal_pending_events() == 0
    assert AuditSeal.objects.count() == 2
    # Nothing new sealed, nothing new published.
    assert len(_checkpoint_lines()) == 1


def test_events_recorded_while_the_sealer_is_not_running_are_all_sealed_later(
    cast: Cast,
) -> None:
    early = record_views(cast, 3)
    assert seal_pending_events(limit=2) == 2
    late = record_views(cast, 4, start=4)
    assert seal_pending_events(limit=2) == 2
    assert seal_pending_events() == 3
    sealed = list(AuditSeal.objects.order_by("position").values_list("position", "event_id"))
    assert sealed == [(n, event.sequence) for n, event in enumerate(early + late, start=1)]


def test_a_queue_row_for_an_event_already_sealed_does_not_stop_the_sealer(cast: Cast) -> None:
    (first,) = record_views(cast, 1)
    seal_pending_events()
    AuditPendingEvent.objects.create(event=first)
    (second,) = record_views(cast, 1, start=2)
    assert seal_pending_events() == 1
    sealed = list(AuditSeal.objects.order_by("position").values_list("event_id", flat=True))
    assert sealed == [first.sequence, second.sequence]
    assert AuditPendingEvent.objects.count() == 0


def test_each_pass_publishes_a_signed_checkpoint_to_the_file_and_the_log(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="carebridge.audit.checkpoints")
    record_views(cast, 2)
    seal_pending_events()
    record_views(cast, 1, start=3)
    seal_pending_events()
    lines = _checkpoint_lines()
    head = AuditChainHead.objects.get(pk=1)
    assert [(line["position"], len(str(line["hmac"]))) for line in lines] == [(2, 64), (3, 64)]
    assert lines[1]["chain_hash"] == head.chain_hash
    assert [record.getMessage() for record in caplog.records] == [
        json.dumps(line, sort_keys=True, separators=(",", ":")) for line in lines
    ]


def test_the_task_and_the_command_seal_what_is_waiting(cast: Cast) -> None:
    record_views(cast, 2)
    assert seal_audit_trail_task.enqueue().return_value == 2
    record_views(cast, 3, start=3)
    out = StringIO()
    call_command("seal_audit", stdout=out)
    assert out.getvalue() == "Sealed 3 audit events.\n"
    assert AuditSeal.objects.count() == 5


def test_models_refuse_to_change_or_delete_events_and_seals(cast: Cast) -> None:
    (event,) = record_views(cast, 1)
    seal_pending_events()
    seal = AuditSeal.objects.get()
    event.object_id = "changed"
    for row in (event, seal):
        with pytest.raises(PermissionError):
            row.save()
        with pytest.raises(PermissionError):
            row.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(object_id="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        AuditSeal.objects.all().update(chain_hash="0" * 64)
    with pytest.raises(PermissionError):
        AuditSeal.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).object_id == "1"
    assert AuditSeal.objects.get().chain_hash == seal.chain_hash


@pytest.mark.parametrize(
    ("table", "column"), [("audit_auditevent", "object_id"), ("audit_auditseal", "chain_hash")]
)
def test_database_refuses_a_raw_update(cast: Cast, table: str, column: str) -> None:
    record_views(cast, 1)
    seal_pending_events()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s", ["forged"])  # noqa: S608
    assert AuditEvent.objects.get().object_id == "1"


@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditseal"])
def test_database_refuses_a_raw_delete_on_postgresql(cast: Cast, table: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE for table flushes; verify-audit finds removed events.")
    record_views(cast, 1)
    seal_pending_events()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert (AuditEvent.objects.count(), AuditSeal.objects.count()) == (1, 1)


def _record_import_and_wait(recorded: threading.Event, release: threading.Event, out: Any) -> None:
    """A long import's transaction: it records an event, then stays open until released."""
    try:
        with transaction.atomic():
            out["early"] = record_event(actor=None, action=AuditAction.IMPORT, object_type="import")
            recorded.set()
            release.wait(10)
    finally:
        connections.close_all()


def _record_view_and_time_it(out: Any) -> None:
    try:
        start = time.monotonic()
        with transaction.atomic():
            out["late"] = record_event(actor=None, action=AuditAction.VIEW, object_type="page")
        out["seconds"] = time.monotonic() - start
    finally:
        connections.close_all()


@postgres_race("Two writers at the same moment")
def test_an_open_transaction_holding_an_event_does_not_block_another_request() -> None:
    recorded, release, out = threading.Event(), threading.Event(), {}
    importer = threading.Thread(target=_record_import_and_wait, args=(recorded, release, out))
    importer.start()
    try:
        assert recorded.wait(5)
        viewer = threading.Thread(target=_record_view_and_time_it, args=(out,))
        viewer.start()
        viewer.join(5)
        assert viewer.is_alive() is False
        assert out["seconds"] < 1
        # The sealer does not wait for the open transaction either: it seals what committed.
        assert seal_pending_events() == 1
    finally:
        release.set()
        importer.join(10)
    # The import's event committed after a later one was sealed: it is sealed next, not lost.
    assert seal_pending_events() == 1
    assert out["early"].sequence < out["late"].sequence
    order = list(AuditSeal.objects.order_by("position").values_list("event_id", flat=True))
    assert order == [out["late"].sequence, out["early"].sequence]
    assert verify() == (0, "Audit trail intact: 2 sealed events.\n", "")


def _seal_until_done(sealed: list[object]) -> None:
    try:
        while count := seal_pending_events(limit=7):
            sealed.append(count)
    except Exception as error:
        sealed.append(error)
    finally:
        connections.close_all()


@postgres_race("Two sealers at the same moment")
def test_two_sealers_at_once_seal_each_event_once_in_one_chain() -> None:
    events = [
        record_event(actor=None, action=AuditAction.VIEW, object_type="page", object_id=n)
        for n in range(40)
    ]
    sealed: list[object] = []
    sealers = [threading.Thread(target=_seal_until_done, args=(sealed,)) for _ in range(2)]
    for sealer in sealers:
        sealer.start()
    for sealer in sealers:
        sealer.join(20)
    # No pass failed on a position or an event another had taken; each sealed a batch or the rest.
    assert [result for result in sealed if isinstance(result, Exception)] == []
    assert sorted(result for result in sealed if isinstance(result, int)) == [5] + [7] * 5
    rows = list(AuditSeal.objects.order_by("position").values_list("position", "event_id"))
    assert rows == [(n, event.sequence) for n, event in enumerate(events, start=1)]
    assert verify() == (0, "Audit trail intact: 40 sealed events.\n", "")
