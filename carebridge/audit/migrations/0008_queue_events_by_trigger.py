"""Each event's place in the sealer's queue is inserted by the database, with the event.

`record_event` wrote an event and its queue row in a transaction of their own: four statements
(a savepoint, two INSERTs, its release) on every audited page. An AFTER INSERT trigger puts the
queue row in the same statement as the event, so recording is one INSERT, as atomic as before.
(Rebuilding the events table on SQLite drops its triggers: a later migration that alters it
must create them again, as 0006 does for the append-only trigger.)
"""

from django.db import migrations

SQLITE_SQL = [
    """CREATE TRIGGER IF NOT EXISTS audit_event_queue AFTER INSERT ON audit_auditevent
    BEGIN INSERT INTO audit_auditpendingevent (event_id) VALUES (NEW.sequence); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_event_queue;"]

POSTGRES_SQL = [
    """CREATE OR REPLACE FUNCTION audit_event_queue() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO audit_auditpendingevent (event_id) VALUES (NEW.sequence);
        RETURN NULL;
    END;
    $$;""",
    """CREATE TRIGGER audit_event_queue AFTER INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_queue();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_queue ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_queue();",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def add_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_SQL)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_SQL)


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_configuration_changes_before_and_after")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
