"""Real `carebridge worker` processes on PostgreSQL: one killed (SIGKILL) in the middle of an
import, whose job a second worker takes over once the lease (2 s) has expired; one stopped
(SIGTERM) in the middle of a file, which exits within seconds and hands the rest back.

They run against the test database (`transaction=True`, so the worker sees committed rows);
SQLite's in-memory test database cannot be shared with another process, so these are skipped
there. File 2 waits at a barrier (carebridge/testing/slow_worker.py) so the signal arrives while
the import is in the middle of it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from carebridge.records.models import ClinicalResource, ImportJob, ImportStatus, ResourceVersion
from carebridge.records.tasks import run_import
from carebridge.records.tests.importing_files import WHOLE, three_patients

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="A worker process needs the test database on PostgreSQL.",
    ),
]


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start worker processes on the test database; any still running is killed at the end."""
    started: list[subprocess.Popen[bytes]] = []
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = os.environ | {
        "DATABASE_URL": url,
        "CAREBRIDGE_TASK_LEASE_SECONDS": "2",
        "CAREBRIDGE_WORKER_HEARTBEAT_SECONDS": "1",
        "CAREBRIDGE_TEST_BARRIER": str(tmp_path / "barrier"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    (tmp_path / "barrier").mkdir()

    def start(worker_id: str, *, slow: bool) -> subprocess.Popen[bytes]:
        program = ["-m", "carebridge.testing.slow_worker"] if slow else ["-m", "carebridge"]
        command = [sys.executable, *program]
        if not slow:
            command.append("worker")
        options = ["--no-reload", "--no-startup-delay", "--interval", "0.1"]
        process = subprocess.Popen(
            [*command, *options, "--worker-id", worker_id],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def wait_for(condition: Callable[[], Any], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("Timed out waiting.")
        time.sleep(0.05)


def queued_job(cast: Any, folder: Path, settings: Any) -> ImportJob:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    folder.mkdir()
    three_patients(folder)
    job = ImportJob.objects.create(
        clinic=cast.clinic, started_by=cast.clinic_admin, upload_path=str(folder)
    )
    run_import.enqueue(str(job.pk))
    return job


def stored_once() -> bool:
    ids = list(ClinicalResource.objects.values_list("resource_type", "fhir_id"))
    return len(ids) == len(set(ids)) == ResourceVersion.objects.count()


def test_a_killed_workers_import_is_finished_by_another_worker(cast, tmp_path, settings, workers):
    job = queued_job(cast, tmp_path / "upload", settings)
    first = workers("first", slow=True)
    wait_for((tmp_path / "barrier" / "reached").exists)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    job.refresh_from_db()
    assert (job.status, job.units_done, job.claimed_by) == (ImportStatus.RUNNING, 1, "first")
    second = workers("second", slow=False)
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE)
    job.refresh_from_db()
    assert (job.units_done, job.summary) == (3, WHOLE)
    assert stored_once() and ClinicalResource.objects.count() == 6
    (result,) = DBTaskResult.objects.all()
    assert (result.status, result.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["first", "second"])
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=10) == 0


def test_a_stopped_worker_exits_within_seconds_and_hands_the_rest_back(
    cast, tmp_path, settings, workers
):
    job = queued_job(cast, tmp_path / "upload", settings)
    first = workers("first", slow=True)
    wait_for((tmp_path / "barrier" / "reached").exists)
    asked = time.monotonic()
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=10) == 0
    assert time.monotonic() - asked < 5
    job.refresh_from_db()
    assert (job.status, job.units_done, job.claimed_by) == (ImportStatus.QUEUED, 2, "")
    assert ClinicalResource.objects.count() == 4
    second = workers("second", slow=False)
    wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportStatus.DONE)
    job.refresh_from_db()
    assert (job.units_done, job.summary) == (3, WHOLE)
    assert stored_once()
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == [TaskResultStatus.SUCCESSFUL, TaskResultStatus.SUCCESSFUL]
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=10) == 0
