"""Drop the old SHA-256 chain's columns (their events are sealed now), and protect the seals.

A separate migration because PostgreSQL refuses to alter a table in the transaction that just
inserted rows referring to it. Seals get the same database protection as events: UPDATE refused
everywhere, DELETE refused on PostgreSQL. Rebuilding the events table on SQLite drops its
trigger, so it is created again here.
"""

from django.db import migrations

SQLITE_SQL = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    """CREATE TRIGGER IF NOT EXISTS audit_seal_no_update BEFORE UPDATE ON audit_auditseal
    BEGIN SELECT RAISE(ABORT, 'audit seals are append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_seal_no_update;"]

POSTGRES_SQL = [
    """CREATE TRIGGER audit_seal_no_update BEFORE UPDATE OR DELETE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();""",
]
POSTGRES_REVERSE = ["DROP TRIGGER IF EXISTS audit_seal_no_update ON audit_auditseal;"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_SQL)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_SQL)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_seal_events_in_an_hmac_chain")]

    operations = [
        migrations.RemoveField("auditevent", "legacy_sequence"),
        migrations.RemoveField("auditevent", "prev_hash"),
        migrations.RemoveField("auditevent", "hash"),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
