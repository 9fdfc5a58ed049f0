"""`verify-audit` finds every kind of tampering with the sealed trail, and unsealed events.

The attacker in these tests can write the database (the triggers are dropped first) but, unless
a test says otherwise, does not have CAREBRIDGE_AUDIT_KEY.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from carebridge.audit.chain import chain_hash, checkpoint_body, checkpoint_tag
from carebridge.audit.models import AuditChainHead, AuditEvent, AuditSeal
from carebridge.audit.services import seal_pending_events
from carebridge.testing.audit import record_views, tamper, verify
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def checkpoints(settings, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    return settings.CAREBRIDGE_AUDIT_CHECKPOINT_FILE


def _sealed(cast: Cast, count: int) -> list[AuditEvent]:
    events = record_views(cast, count)
    seal_pending_events()
    return events


def _rewrite_chain(key: bytes, from_position: int = 1) -> None:
    """Recompute every chain hash from a position with `key` and write them over the seals."""
    seals = list(AuditSeal.objects.select_related("event").order_by("position"))
    previous = seals[from_position - 2].chain_hash if from_position > 1 else "0" * 64
    statements: list[tuple[str, list[Any]]] = []
    for seal in seals[from_position - 1 :]:
        previous = chain_hash(previous, seal.event, key=key)
        statements.append(
            ("UPDATE audit_auditseal SET chain_hash = %s WHERE id = %s", [previous, seal.pk])
        )
    statements.append(("UPDATE audit_auditchainhead SET chain_hash = %s", [previous]))
    tamper(*statements)


def test_intact_trail_exits_zero_and_says_how_many_events(cast: Cast, checkpoints: Path) -> None:
    _sealed(cast, 5)
    assert verify() == (0, "Audit trail intact: 5 sealed events.\n", "")
    assert verify(checkpoints) == (
        0,
        "Audit trail intact: 5 sealed events.\nIt matches all 1 checkpoints.\n",
        "",
    )


def test_empty_trail_is_intact(db: None) -> None:
    assert verify() == (0, "Audit trail intact: 0 sealed events.\n", "")


def test_changed_event_is_named_by_its_position_and_sequence(cast: Cast) -> None:
    events = _sealed(cast, 5)
    tamper(("UPDATE audit_auditevent SET object_id = %s WHERE sequence = %s", ["99", events[2].pk]))
    status, out, err = verify()
    assert (status, out) == (1, "")
    assert err == (
        f"Audit trail broken at position 3 (event {events[2].sequence}): its chain hash does not "
        "match, so the event or its seal was changed, inserted, or sealed with another key.\n"
    )


def test_changed_event_resealed_without_the_key_still_breaks_at_its_position(cast: Cast) -> None:
    events = _sealed(cast, 4)
    tamper(("UPDATE audit_auditevent SET ip = %s WHERE sequence = %s", ["10.0.0.1", events[1].pk]))
    _rewrite_chain(b"a guessed key", from_position=2)
    status, _, err = verify()
    assert status == 1
    assert err.startswith(f"Audit trail broken at position 2 (event {events[1].sequence}):")


def test_event_inserted_among_sealed_ones_breaks_the_chain(cast: Cast) -> None:
    events = _sealed(cast, 4)
    (forged,) = record_views(cast, 1, start=99)
    tamper(
        ("DELETE FROM audit_auditpendingevent", []),
        ("UPDATE audit_auditseal SET position = position + 1000 WHERE position >= 3", []),
        ("UPDATE audit_auditseal SET position = position - 999 WHERE position >= 1003", []),
        (
            "INSERT INTO audit_auditseal (position, event_id, chain_hash, sealed_at) "
            "VALUES (3, %s, %s, %s)",
            [forged.pk, "ab" * 32, timezone.now()],
        ),
        ("UPDATE audit_auditchainhead SET position = 5", []),
    )
    status, _, err = verify()
    assert status == 1
    assert err.startswith(f"Audit trail broken at position 3 (event {forged.sequence}):")
    assert events[2].sequence != forged.sequence


def test_removed_event_leaves_a_gap_in_the_positions(cast: Cast) -> None:
    events = _sealed(cast, 4)
    tamper(
        ("DELETE FROM audit_auditseal WHERE event_id = %s", [events[1].pk]),
        ("DELETE FROM audit_auditevent WHERE sequence = %s", [events[1].pk]),
    )
    assert verify() == (
        1,
        "",
        "Audit trail broken at position 2: it is missing (the next seal found is at position 3).\n",
    )


def _truncate_to(position: int) -> None:
    """Remove the newest seals and events and move the head back, leaving no trace inside."""
    head = AuditSeal.objects.get(position=position).chain_hash
    doomed = list(
        AuditSeal.objects.filter(position__gt=position).values_list("event_id", flat=True)
    )
    tamper(
        ("DELETE FROM audit_auditseal WHERE position > %s", [position]),
        *(("DELETE FROM audit_auditevent WHERE sequence = %s", [pk]) for pk in doomed),
        ("UPDATE audit_auditchainhead SET position = %s, chain_hash = %s", [position, head]),
    )


def test_removed_newest_events_are_found_only_with_checkpoints(
    cast: Cast, checkpoints: Path
) -> None:
    _sealed(cast, 5)
    _truncate_to(3)
    assert verify() == (0, "Audit trail intact: 3 sealed events.\n", "")
    assert verify(checkpoints) == (
        1,
        "",
        "Audit trail cut back: the checkpoint on line 1 records 5 sealed events, the database "
        "has 3.\n",
    )


def test_removed_newest_events_with_the_head_left_alone_are_found_without_checkpoints(
    cast: Cast,
) -> None:
    events = _sealed(cast, 3)
    tamper(
        ("DELETE FROM audit_auditseal WHERE position = 3", []),
        ("DELETE FROM audit_auditevent WHERE sequence = %s", [events[2].pk]),
    )
    assert verify() == (
        1,
        "",
        "Audit trail broken at position 3: it is missing (the chain head records 3 seals).\n",
    )


def test_forged_checkpoint_lines_are_named(cast: Cast, checkpoints: Path) -> None:
    _sealed(cast, 2)
    body = checkpoint_body(2, "cd" * 32, "2026-12-01T12:00:00.000000+00:00")
    lines = [
        {**body, "hmac": "00" * 32},
        {**body, "hmac": checkpoint_tag(body, key=b"a guessed key")},
    ]
    with checkpoints.open("a") as file:
        file.writelines(json.dumps(line) + "\n" for line in lines)
        file.write("not json\n")
    status, _, err = verify(checkpoints)
    assert (status, err) == (
        1,
        "Checkpoint on line 2 is forged: its HMAC does not match.\n"
        "Checkpoint on line 3 is forged: its HMAC does not match.\n"
        "Checkpoint on line 4 is forged: its HMAC does not match.\n",
    )


def test_trail_resealed_with_a_wrong_key_breaks_at_the_first_position(cast: Cast) -> None:
    events = _sealed(cast, 3)
    _rewrite_chain(b"a guessed key")
    status, _, err = verify()
    assert status == 1
    assert err.startswith(f"Audit trail broken at position 1 (event {events[0].sequence}):")


def test_with_the_key_a_rewritten_trail_is_found_only_by_checkpoints(
    cast: Cast, checkpoints: Path, settings
) -> None:
    events = _sealed(cast, 3)
    tamper(("UPDATE audit_auditevent SET object_id = %s WHERE sequence = %s", ["99", events[0].pk]))
    _rewrite_chain(settings.CAREBRIDGE_AUDIT_KEY.encode())
    assert verify() == (0, "Audit trail intact: 3 sealed events.\n", "")
    assert verify(checkpoints) == (
        1,
        "",
        "Audit trail broken at position 3: it does not match the checkpoint on line 1.\n",
    )


def test_unsealed_events_are_counted_with_the_age_of_the_oldest(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sealed(cast, 2)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    record_views(cast, 3, start=3)
    monkeypatch.setattr(timezone, "now", lambda: NOW + datetime.timedelta(seconds=125))
    assert verify() == (
        0,
        "3 events not sealed yet; the oldest was recorded 125 seconds ago.\n"
        "Audit trail intact: 2 sealed events.\n",
        "",
    )


def test_events_left_unsealed_too_long_fail_the_check(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    record_views(cast, 1)
    monkeypatch.setattr(timezone, "now", lambda: NOW + datetime.timedelta(seconds=601))
    assert verify() == (
        1,
        "1 events not sealed yet; the oldest was recorded 601 seconds ago.\n",
        "Audit trail has events left unsealed for more than 600 seconds: is the sealer running?\n",
    )


def test_event_slipped_in_without_a_queue_row_is_still_found_unsealed(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sealed(cast, 2)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    (slipped,) = record_views(cast, 1, start=3)
    tamper(("DELETE FROM audit_auditpendingevent WHERE event_id = %s", [slipped.pk]))
    assert seal_pending_events() == 0
    monkeypatch.setattr(timezone, "now", lambda: NOW + datetime.timedelta(minutes=11))
    status, out, _ = verify()
    assert (status, out) == (
        1,
        "1 events not sealed yet; the oldest was recorded 660 seconds ago.\n",
    )


def test_a_missing_checkpoint_file_is_an_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No checkpoint file at"):
        verify(tmp_path / "nowhere.jsonl")


def test_chain_head_that_disagrees_with_its_seal_is_a_break(cast: Cast) -> None:
    _sealed(cast, 2)
    AuditChainHead.objects.filter(pk=1).update(chain_hash="f" * 64)
    assert verify() == (
        1,
        "",
        "Audit trail broken at position 2: it does not match the chain head.\n",
    )


def test_removed_chain_head_is_a_break(cast: Cast) -> None:
    _sealed(cast, 2)
    AuditChainHead.objects.all().delete()
    assert verify() == (1, "", "Audit trail broken: the chain head is missing.\n")
