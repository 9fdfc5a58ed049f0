"""The clinic's resources of one type by date (`resource_day`): the console's schedule
reads a day's check-ins of EHR appointments through it (`staff.schedule_selectors`).

On PostgreSQL the index is built CONCURRENTLY, so that imports and pages keep writing to a
health system's tens of millions of resource rows while it is built; SQLite builds it at once.
"""

from django.db import migrations, models

from carebridge.lib.migrations import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("records", "0007_resource_api_ids"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="clinicalresource",
            index=models.Index(
                fields=["clinic", "resource_type", "effective_at"], name="resource_day"
            ),
        ),
    ]
