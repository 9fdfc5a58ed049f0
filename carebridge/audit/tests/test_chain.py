import pytest
from django.db import DatabaseError, connection, transaction

from carebridge.audit.models import GENESIS_HASH, AuditAction, AuditChainHead, AuditEvent
from carebridge.audit.services import record_event

pytestmark = pytest.mark.django_db


def _two_events(cast):
    first = record_event(
        actor=cast.patient_user,
        action=AuditAction.VIEW,
        object_type="account_activity",
        patient=cast.patient,
        acting_as="self",
    )
    second = record_event(
        actor=cast.clinic_admin,
        action=AuditAction.VIEW,
        object_type="audit_report",
        object_id=42,
        acting_as="staff",
    )
    return first, second


def test_each_event_carries_the_previous_events_hash_and_moves_the_head(cast):
    start = AuditChainHead.objects.get(pk=1)
    first, second = _two_events(cast)
    assert first.sequence == start.sequence + 1
    assert second.sequence == start.sequence + 2
    assert first.prev_hash == start.hash
    assert second.prev_hash == first.hash
    assert first.hash == first.compute_hash()
    assert second.hash == second.compute_hash()
    assert len(second.hash) == 64
    head = AuditChainHead.objects.get(pk=1)
    assert (head.sequence, head.hash) == (second.sequence, second.hash)


def test_stored_event_keeps_what_was_recorded(cast):
    _, second = _two_events(cast)
    stored = AuditEvent.objects.get(pk=second.pk)
    assert stored.actor_label == "Ada Admin"
    assert stored.object_id == "42"
    assert stored.acting_as == "staff"
    assert stored.compute_hash() == second.hash


def test_first_event_of_an_empty_trail_links_to_the_genesis_hash(db):
    assert AuditEvent.objects.count() == 0
    event = record_event(actor=None, action=AuditAction.SIGN_IN_FAILED, object_type="session")
    assert event.sequence == 1
    assert event.prev_hash == GENESIS_HASH


def test_model_refuses_to_change_or_delete_events(cast):
    event, _ = _two_events(cast)
    event.object_id = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(object_id="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.object_id == ""
    assert stored.hash == stored.compute_hash()


def test_database_refuses_a_raw_update(cast):
    event, _ = _two_events(cast)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_id = %s WHERE id = %s", ["forged", event.pk]
        )
    assert AuditEvent.objects.get(pk=event.pk).object_id == ""


def test_database_refuses_a_raw_delete_on_postgresql(cast):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE for table flushes; verify-audit finds deleted events.")
    event, _ = _two_events(cast)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
