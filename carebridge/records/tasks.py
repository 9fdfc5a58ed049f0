"""Background tasks of the record store: thin wrappers that take ids and re-fetch."""

from __future__ import annotations

from django_tasks import task

from carebridge.records.importing.jobs import run_job


@task()
def run_import(job_id: str) -> None:
    """Import a staff upload (an `ImportJob`). Safe to run twice: a job runs only once."""
    run_job(job_id)
