"""Fast bulk INSERT for the record store: one `executemany` per batch.

Django's `bulk_create` prepares every value of every row through its field (hundreds of
thousands of calls for a large export) and, on SQLite, fits few rows in one statement. An
import spends most of its time there. Here each column gets one converter chosen once: plain
text and numbers pass as they are, and anything else (JSON, datetimes, UUIDs) goes through
Django's own preparation for that field, so the stored values are exactly what the ORM would
store, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from django.db import connections, models, router

BATCH = 1000
# Fields whose Python value is already what the database driver takes.
PASS_THROUGH = (
    models.CharField,
    models.TextField,
    models.FloatField,
    models.IntegerField,
    models.BooleanField,
)


def insert_rows(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT the objects' concrete fields, except an auto primary key.

    The objects' primary keys are not set: callers that need them look them up by a unique key.
    """
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    fields = [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, models.AutoField | models.BigAutoField)
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only the model's own table and column names, quoted, are in the SQL; values are parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    converters = [_converter(field, connection) for field in fields]
    attnames = [field.attname for field in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(objects), BATCH):
            rows = [
                tuple(
                    convert(getattr(obj, attname))
                    for convert, attname in zip(converters, attnames, strict=True)
                )
                for obj in objects[start : start + BATCH]
            ]
            cursor.executemany(sql, rows)


def _converter(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    if isinstance(field, PASS_THROUGH) and not isinstance(field, models.JSONField):
        return _same
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        if isinstance(target, models.AutoField | models.BigAutoField | models.IntegerField):
            return _same
        return partial(_prepared, target, connection)
    return partial(_prepared, field, connection)


def _same(value: Any) -> Any:
    return value


def _prepared(field: models.Field[Any, Any], connection: Any, value: Any) -> Any:
    return None if value is None else field.get_db_prep_save(value, connection)
