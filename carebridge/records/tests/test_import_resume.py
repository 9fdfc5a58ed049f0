"""Import jobs that run more than once: after a stop request, a passing fault or a lost worker,
a run skips the finished files and groups, and the summary counts every resource once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from carebridge.records.importing import pipeline
from carebridge.records.importing.jobs import run_files, run_job
from carebridge.records.importing.readers import find_files
from carebridge.records.models import (
    ClinicalResource,
    ImportJob,
    ImportStatus,
    ImportUnit,
    ResourceVersion,
    UnitKind,
)
from carebridge.records.tests.importing_files import (
    WHOLE,
    lose_the_database_at_group,
    three_patients,
)
from carebridge.worker.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def stop_before_group(number: int) -> Callable[[], bool]:
    """A `should_stop` that turns true when asked before the `number`th group (from 1)."""
    asked = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) >= number

    return should_stop


def new_job(cast: Any, folder: Path) -> ImportJob:
    three_patients(folder)
    return ImportJob.objects.create(
        clinic=cast.clinic, started_by=cast.clinic_admin, upload_path=str(folder)
    )


def stored_once() -> bool:
    ids = list(ClinicalResource.objects.values_list("resource_type", "fhir_id"))
    return len(ids) == len(set(ids)) == ResourceVersion.objects.count()


def test_a_stopped_run_is_queued_with_its_progress_and_the_next_finishes_it(cast, tmp_path):
    job = new_job(cast, tmp_path)
    files = find_files([tmp_path])
    run_files(job, files, should_stop=stop_before_group(2))
    job.refresh_from_db()
    assert (job.status, job.units_done, job.units_total) == (ImportStatus.QUEUED, 1, 3)
    assert list(ImportUnit.objects.values_list("kind", "key")) == [
        (UnitKind.GROUP, "1-ada.json#0"),
        (UnitKind.FILE, "1-ada.json"),
    ]
    assert ClinicalResource.objects.count() == 2
    summary = run_files(job, files)
    job.refresh_from_db()
    assert (job.status, job.units_done) == (ImportStatus.DONE, 3)
    assert summary == job.summary == WHOLE
    assert ClinicalResource.objects.count() == 6
    assert stored_once()


def test_a_finished_group_is_not_imported_again(cast, tmp_path, monkeypatch):
    job = new_job(cast, tmp_path)
    files = find_files([tmp_path])
    run_files(job, files, should_stop=stop_before_group(3))
    stored: list[str] = []
    real = pipeline.store_group

    def counting(**arguments: Any) -> Any:
        stored.append(arguments["resources"][0][0])
        return real(**arguments)

    monkeypatch.setattr(pipeline, "store_group", counting)
    assert run_files(job, files) == WHOLE
    assert stored == ["3-cy.json"]


def test_a_passing_fault_stops_the_job_keeps_its_files_and_says_what_is_left(
    cast, tmp_path, monkeypatch
):
    job = new_job(cast, tmp_path)
    lose_the_database_at_group(monkeypatch, 2)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    run_job(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.units_done, job.units_total) == (ImportStatus.STOPPED, 1, 3)
    assert (job.summary["created"], job.summary["patients"]) == (2, 1)
    assert job.summary["errors"][-1]["message"] == (
        "The import stopped on a passing problem (the database or the disk). What is listed "
        "here is imported; 2 of 3 files are left: 2-bea.json, 3-cy.json. Retry the import to "
        "finish it."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1-ada.json", "2-bea.json", "3-cy.json"]


def test_a_running_job_is_taken_over_only_when_its_workers_lease_expired(cast, tmp_path):
    job = new_job(cast, tmp_path)
    long_ago = timezone.now() - timezone.timedelta(seconds=600)
    WorkerHeartbeat.objects.create(worker_id="alive", host="a", pid=1)
    WorkerHeartbeat.objects.create(worker_id="dead", host="b", pid=2, last_seen=long_ago)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, claimed_by="alive")
    run_job(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.units_done, ClinicalResource.objects.count()) == (
        ImportStatus.RUNNING,
        0,
        0,
    )
    ImportJob.objects.filter(pk=job.pk).update(claimed_by="dead")
    run_job(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.units_done, job.summary) == (ImportStatus.DONE, 3, WHOLE)
    assert not tmp_path.exists()


def test_a_job_run_by_hand_without_a_worker_is_never_taken_over(cast, tmp_path):
    job = new_job(cast, tmp_path)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, claimed_by="")
    run_job(str(job.pk))
    job.refresh_from_db()
    assert (job.status, ClinicalResource.objects.count()) == (ImportStatus.RUNNING, 0)
