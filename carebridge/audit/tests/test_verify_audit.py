from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from carebridge.audit.models import AuditAction, AuditChainHead
from carebridge.audit.services import record_event

pytestmark = pytest.mark.django_db


def _record(count, cast):
    return [
        record_event(
            actor=cast.patient_user,
            action=AuditAction.VIEW,
            object_type="account_activity",
            object_id=n,
            patient=cast.patient,
            acting_as="self",
        )
        for n in range(1, count + 1)
    ]


def _verify():
    """Run the command; return (exit status, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _tamper(sql, params):
    """Change the trail behind the model's back, as an attacker with database access could.

    The test's transaction is rolled back afterwards, and the trigger with it.
    """
    drop = "DROP TRIGGER audit_event_no_update"
    if connection.vendor == "postgresql":
        drop += " ON audit_auditevent"
    with connection.cursor() as cursor:
        cursor.execute(drop)
        cursor.execute(sql, params)


def test_intact_trail_exits_zero_and_says_how_many_events(cast):
    _record(5, cast)
    assert _verify() == (0, "Audit trail intact: 5 events.\n", "")


def test_empty_trail_is_intact(db):
    assert _verify() == (0, "Audit trail intact: 0 events.\n", "")


def test_changed_event_is_named_by_its_sequence(cast):
    events = _record(5, cast)
    _tamper("UPDATE audit_auditevent SET object_id = %s WHERE id = %s", ["99", events[2].pk])
    status, out, err = _verify()
    assert status == 1
    assert out == ""
    assert err == (
        f"Audit trail broken at event {events[2].sequence}: its content does not match its hash.\n"
    )


def test_event_rehashed_after_a_change_breaks_the_link_from_the_next(cast):
    events = _record(4, cast)
    forged = events[1]
    forged.object_id = "99"
    _tamper(
        "UPDATE audit_auditevent SET object_id = %s, hash = %s WHERE id = %s",
        ["99", forged.compute_hash(), forged.pk],
    )
    status, _, err = _verify()
    assert status == 1
    assert err == (
        f"Audit trail broken at event {events[2].sequence}: "
        "it does not link to the event before it.\n"
    )


def test_removed_event_is_named(cast):
    events = _record(4, cast)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    status, _, err = _verify()
    assert status == 1
    assert err == (
        f"Audit trail broken at event {events[1].sequence}: "
        f"it is missing (the next event found is {events[2].sequence}).\n"
    )


def test_removed_last_event_is_found_through_the_chain_head(cast):
    events = _record(3, cast)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    status, _, err = _verify()
    assert status == 1
    assert err == (
        f"Audit trail broken at event {events[2].sequence}: "
        f"it is missing (the chain head records {events[2].sequence} events).\n"
    )


def test_chain_head_that_disagrees_with_its_event_is_a_break(cast):
    events = _record(2, cast)
    AuditChainHead.objects.filter(pk=1).update(hash="f" * 64)
    status, _, err = _verify()
    assert status == 1
    assert err == (
        f"Audit trail broken at event {events[1].sequence}: it does not match the chain head.\n"
    )


def test_removed_chain_head_is_a_break(cast):
    events = _record(2, cast)
    AuditChainHead.objects.all().delete()
    status, _, err = _verify()
    assert status == 1
    assert err == f"Audit trail broken at event {events[1].sequence}: the chain head is missing.\n"
