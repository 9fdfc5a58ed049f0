"""A throw-away Carebridge installation for one benchmark run: its own database, settings."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SHARED_DATA = REPO.parent / "shared" / "data"


def bench_environment(workdir: Path) -> dict[str, str]:
    """Environment variables that point Carebridge at a fresh database in `workdir`."""
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "DEBUG": "0",
        "PYTHONPATH": str(REPO),
        "CAREBRIDGE_IMPORT_DIR": str(workdir / "imports"),
        "CAREBRIDGE_AUDIT_CHECKPOINT_FILE": str(workdir / "audit-checkpoints.jsonl"),
        # The bench's one token makes thousands of API requests a minute.
        "CAREBRIDGE_FHIR_REQUESTS_PER_MINUTE": "100000000",
        # Counting instructions under callgrind (bench/instructions.py) takes longer than a
        # session's 15 idle minutes: keep the sessions signed in until the absolute limit
        # (12 hours). Each request checks the idle time all the same.
        "CAREBRIDGE_SESSION_IDLE_SECONDS": str(12 * 3600),
    }


def new_workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="carebridge-bench-"))


def manage(env: dict[str, str], *args: str) -> str:
    """Run a Carebridge management command in the bench environment; return its stdout."""
    result = subprocess.run(
        [PYTHON, "-m", "carebridge", *args],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def fresh_database(url: str) -> None:
    """Drop and create the benchmark's PostgreSQL database (never anything but the one named,
    and only a name that starts carebridge_bench)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("carebridge_bench"):
        raise SystemExit("Refusing to drop a database whose name does not start carebridge_bench.")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def bench_overrides(env: dict[str, str]) -> dict[str, str]:
    """The variables `env` sets or changes beyond this process's own: what another process
    needs to reach the same installation."""
    return {name: value for name, value in env.items() if os.environ.get(name) != value}
