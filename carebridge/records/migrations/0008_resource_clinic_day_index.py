"""The clinic's resources of one type by date (`resource_clinic_day`): the console's schedule
reads a day's check-ins of EHR appointments through it (`staff.schedule_selectors`).

On PostgreSQL the index is built CONCURRENTLY, so that imports and pages keep writing to a
health system's tens of millions of resource rows while it is built; SQLite builds it at once.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    """`AddIndexConcurrently` on PostgreSQL, a plain `AddIndex` on any other database."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_forwards(
                self, app_label, schema_editor, from_state, to_state
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            migrations.AddIndex.database_backwards(
                self, app_label, schema_editor, from_state, to_state
            )


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("records", "0007_resource_api_ids"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="clinicalresource",
            index=models.Index(
                fields=["clinic", "resource_type", "effective_at"], name="resource_clinic_day"
            ),
        ),
    ]
