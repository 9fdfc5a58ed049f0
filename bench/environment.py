"""A throw-away Carebridge installation for one benchmark run: its own SQLite file, settings."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
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
