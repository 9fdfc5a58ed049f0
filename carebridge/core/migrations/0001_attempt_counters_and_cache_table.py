from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    # The database cache's table, made by Django's own createcachetable logic, so that `make run`,
    # the tests and production all have it without a separate step. It is made even when Redis
    # is the cache today, so that a server can drop Redis later with nothing else to run.
    table = getattr(settings, "DATABASE_CACHE_TABLE", "carebridge_cache")
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, table, False)


def drop_cache_table(apps, schema_editor):
    table = getattr(settings, "DATABASE_CACHE_TABLE", "carebridge_cache")
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AttemptCounter",
            fields=[
                ("key", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("count", models.IntegerField()),
                ("window_ends", models.FloatField(db_index=True)),
            ],
        ),
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]
