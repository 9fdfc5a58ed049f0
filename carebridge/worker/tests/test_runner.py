"""The lease-aware worker in this process: it takes back a silent worker's task and runs it,
and a stop request during an import hands the rest of the job back to the queue."""

from __future__ import annotations

import datetime
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from carebridge.records.importing import pipeline
from carebridge.records.models import ImportJob, ImportStatus
from carebridge.records.tasks import run_import
from carebridge.records.tests.importing_files import WHOLE, three_patients
from carebridge.worker import shutdown
from carebridge.worker.models import WorkerHeartbeat
from carebridge.worker.periodic import PeriodicRunner
from carebridge.worker.runner import LeaseWorker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_tasks(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The library's loop closes connections whose autocommit differs from the settings', as
    # the test's own transaction makes it on PostgreSQL: not here, inside that transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    yield
    shutdown.clear_stop()


def new_worker(worker_id: str, **changes: Any) -> LeaseWorker:
    options: dict[str, Any] = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": worker_id,
        "excluded_queue_names": [],
        "periodic": PeriodicRunner([], every=5),
    }
    return LeaseWorker(**(options | changes))


def queued_job(cast: Any, folder: Path) -> tuple[ImportJob, DBTaskResult]:
    three_patients(folder)
    job = ImportJob.objects.create(
        clinic=cast.clinic, started_by=cast.clinic_admin, upload_path=str(folder)
    )
    result = run_import.enqueue(str(job.pk))
    return job, DBTaskResult.objects.get(pk=result.id)


def test_a_silent_workers_task_is_taken_back_and_finished(cast, tmp_path):
    job, result = queued_job(cast, tmp_path)
    long_ago = timezone.now() - datetime.timedelta(seconds=600)
    WorkerHeartbeat.objects.create(worker_id="killed", host="h", pid=9, last_seen=long_ago)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status=TaskResultStatus.RUNNING, worker_ids=["killed"], started_at=long_ago
    )
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, claimed_by="killed")
    new_worker("second").run()
    job.refresh_from_db()
    result.refresh_from_db()
    assert (job.status, job.units_done, job.summary) == (ImportStatus.DONE, 3, WHOLE)
    assert (result.status, result.worker_ids) == (TaskResultStatus.SUCCESSFUL, ["killed", "second"])
    assert WorkerHeartbeat.objects.get(pk="second").stopped_at is not None


def test_a_stop_request_hands_the_rest_of_the_import_back(
    cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    job, result = queued_job(cast, tmp_path)
    worker = new_worker("first")
    real = pipeline.store_group

    def store_then_stop(**arguments: Any) -> Any:
        counts = real(**arguments)
        # SIGTERM arrives while the first group is stored.
        worker.shutdown(signal.SIGTERM, None)
        return counts

    monkeypatch.setattr(pipeline, "store_group", store_then_stop)
    # The task is queued again once the hand-back commits.
    with django_capture_on_commit_callbacks(execute=True):
        worker.run()
    job.refresh_from_db()
    result.refresh_from_db()
    assert (job.status, job.units_done, job.claimed_by) == (ImportStatus.QUEUED, 1, "")
    assert result.status == TaskResultStatus.SUCCESSFUL
    (again,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert again.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}
    monkeypatch.setattr(pipeline, "store_group", real)
    shutdown.clear_stop()
    new_worker("second").run()
    job.refresh_from_db()
    assert (job.status, job.units_done, job.summary) == (ImportStatus.DONE, 3, WHOLE)
    assert not tmp_path.exists()
