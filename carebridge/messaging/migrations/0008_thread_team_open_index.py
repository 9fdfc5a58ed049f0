"""A team's open conversations, newest first (`thread_team_open`): the staff inbox's default
list reads them in order and stops at the page's end (`staff.inbox_selectors.inbox_threads`).
Built CONCURRENTLY on PostgreSQL (see `carebridge.lib.migrations`)."""

from django.db import migrations, models

from carebridge.lib.migrations import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("messaging", "0007_care_request_kind_visit"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="thread",
            index=models.Index(
                models.F("team"),
                models.F("last_message_at").desc(),
                models.F("id"),
                condition=models.Q(last_message_at__isnull=False) & ~models.Q(status="closed"),
                name="thread_team_open",
            ),
        ),
    ]
