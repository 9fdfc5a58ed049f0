"""Dump and restore the database: `pg_dump -Fc` / `pg_restore` on PostgreSQL, the sqlite3 online
backup API on SQLite. Both copies are consistent while the portal keeps writing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing has been changed when it is raised."""


def engine() -> str:
    """'postgresql' or 'sqlite': the only engines Carebridge supports."""
    if connection.vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def applied_migrations() -> dict[str, list[str]]:
    """Every applied migration, by app: the schema the dump was taken at."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def has_tables() -> bool:
    """Whether the target database holds anything at all (a restore then needs --force)."""
    with connection.cursor() as cursor:
        return bool(connection.introspection.table_names(cursor))


def _pg_tool(name: str) -> str:
    # pg_dump refuses a newer server and pg_restore may not read a newer dump: prefer the
    # client of the server's own major version (Debian keeps each under its own folder).
    connection.ensure_connection()
    major = connection.pg_version // 10000  # type: ignore[attr-defined]
    versioned = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    found = str(versioned) if versioned.exists() else shutil.which(name)
    if found is None:
        raise BackupError(f"{name} (PostgreSQL {major}) is not installed.")
    return found


def _pg_env() -> dict[str, str]:
    settings_dict = connection.settings_dict
    values = {
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def dump(path: Path) -> None:
    """Write a consistent copy of the whole database to `path`."""
    if engine() == "postgresql":
        name = str(connection.settings_dict["NAME"])
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}", name])
        return
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def restore(path: Path, *, replace: bool) -> None:
    """Load a dump into the configured database, all or nothing."""
    if engine() == "postgresql":
        name = str(connection.settings_dict["NAME"])
        command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        # One transaction: a failing restore leaves the database as it was.
        command += ["--single-transaction", f"--dbname={name}", str(path)]
        if replace:
            command[1:1] = ["--clean", "--if-exists"]
        connection.close()
        _run(command)
        return
    # The backup API in reverse: copies every page under one lock, WAL files included, and
    # replaces whatever the database held.
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
