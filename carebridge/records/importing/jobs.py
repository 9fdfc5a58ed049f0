"""Import jobs: start one from a staff upload, and run one (in a task or in the command).

A job may run more than once: after its worker died (another takes it over once the worker's
lease expired), after a stop request (it goes back to the queue with its progress), or after a
passing fault (it is "stopped" and staff may retry it, see `retry_import`). Each run skips the
files and groups already finished (`units`).
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.lib.files import FileWriteError, make_folder, remove_folder, write_all
from carebridge.records.importing.pipeline import Progress, import_files
from carebridge.records.importing.readers import SourceFile, find_files, whole_file
from carebridge.records.importing.selectors import lost_jobs
from carebridge.records.importing.units import (
    ImportInterruptedError,
    UnitBook,
    count_files_done,
    files_left,
)
from carebridge.records.models import ImportJob, ImportStatus
from carebridge.worker import leases, shutdown

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic

logger = logging.getLogger(__name__)

# Faults that pass: the database went away, or the disk was full or failing. A job stopped by
# one keeps its files and can be retried; any other error ends the job.
PASSING_FAULTS = (OperationalError, InterfaceError, OSError)


def import_dir() -> Path:
    """Where uploads wait for their task: private, never served (CAREBRIDGE_IMPORT_DIR)."""
    return Path(settings.CAREBRIDGE_IMPORT_DIR)


def start_upload_import(
    *,
    actor: User,
    clinic: Clinic,
    files: Sequence[UploadedFile],
    request: HttpRequest | None = None,
) -> ImportJob:
    """Save uploaded files in a private folder and queue their import after commit.

    Audit: an "import" event on the import job (naming no patient: none is known yet).
    """
    job = ImportJob(id=uuid.uuid4(), clinic=clinic, started_by=actor, units_total=len(files))
    folder = import_dir() / str(job.pk)
    names = _save_uploads(folder, files)
    job.source, job.upload_path = ", ".join(names)[:500], str(folder)
    try:
        with transaction.atomic():
            job.save()
            record_event(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="import_job",
                object_id=job.pk,
                acting_as="staff",
                request=request,
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return job


def _enqueue(job_id: uuid.UUID) -> None:
    # Imported here: the task module imports this one.
    from carebridge.records.tasks import run_import

    run_import.enqueue(str(job_id))


def _save_uploads(folder: Path, files: Sequence[UploadedFile]) -> list[str]:
    """Write the uploads, all or none: on a full disk or a write error the folder is removed
    and `FileWriteError` raised, before anything is written to the database."""
    refusal = _(
        "We could not save your file right now. Nothing was imported. Please try again later."
    )
    make_folder(folder, refusal=refusal, exist_ok=False)
    names: list[str] = []
    for upload in files:
        name = get_valid_filename(Path(upload.name or "upload.json").name)
        names.append(f"{len(names) + 1}-{name}" if name in names else name)
    pending = [(folder / name, upload.chunks()) for name, upload in zip(names, files, strict=True)]
    try:
        write_all(pending, refusal=refusal)
    except FileWriteError:
        remove_folder(folder)
        raise
    return names


def run_job(job_id: str) -> None:
    """Run a queued job over its uploaded files, then remove them (kept if it stopped).

    Safe to run twice: the job is claimed in one update, so a second run, or a second worker,
    finds it taken and does nothing, unless the worker running it has lost its lease.
    """
    if not _claim(job_id):
        return
    job = ImportJob.objects.select_related("clinic", "started_by").get(pk=job_id)
    folder = Path(job.upload_path)
    files = find_files([folder]) if job.upload_path and folder.is_dir() else []
    if not files:
        missing = {
            "source": "",
            "position": whole_file(),
            "message": _("The uploaded files are gone."),
        }
        finish_job(job, _empty_summary(missing))
        return
    run_files(job, files, should_stop=shutdown.is_stopping)
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        shutil.rmtree(folder, ignore_errors=True)


def _claim(job_id: str) -> bool:
    """Take a queued job, or a running one whose worker's lease has expired."""
    claimable = ImportJob.objects.filter(Q(status=ImportStatus.QUEUED) | lost_jobs(), pk=job_id)
    worker = leases.current_worker_id()
    return bool(claimable.update(status=ImportStatus.RUNNING, claimed_by=worker))


def run_files(
    job: ImportJob,
    files: Sequence[SourceFile],
    progress: Progress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict[str, Any]:
    """Import the files as this job: progress on the job as it goes, the summary at the end.

    When `should_stop()` turns true, the job goes back to the queue with its progress, and the
    summary returned is that of the finished parts.
    """
    job.status, job.units_total = ImportStatus.RUNNING, len(files)
    job.units_done = count_files_done(job)
    job.save(update_fields=["status", "units_total", "units_done"])
    try:
        summary = import_files(
            clinic=job.clinic,
            files=files,
            job=job,
            actor=job.started_by,
            progress=_reporter(job, progress),
            should_stop=should_stop,
        ).as_json()
    except ImportInterruptedError:
        hand_back(job)
        return UnitBook(job).total().as_json()
    except PASSING_FAULTS as error:
        logger.error("Import job %s stopped: %s", job.pk, type(error).__name__)
        # A lost connection is closed here (the next query opens a new one), so that the
        # job's state can still be saved. Never inside a caller's transaction (tests).
        if not connection.in_atomic_block:
            close_old_connections()
        return stop_job(job, [source.name for source in files])
    except Exception as error:
        # Only the exception's type: its text may quote the data being imported.
        logger.error("Import job %s stopped: %s", job.pk, type(error).__name__)
        summary = UnitBook(job).total().as_json()
        summary["errors"].append(
            {
                "source": "",
                "position": whole_file(),
                "message": _(
                    "The import stopped on an unexpected problem. Groups already imported are kept."
                ),
            }
        )
    finish_job(job, summary)
    return summary


def _reporter(job: ImportJob, progress: Progress | None) -> Progress:
    def report(done: int, total: int) -> None:
        job.units_done, job.units_total = done, total
        job.save(update_fields=["units_done", "units_total"])
        if progress is not None:
            progress(done, total)

    return report


def _empty_summary(error: dict[str, str]) -> dict[str, Any]:
    return {
        "patients": 0,
        "resources": {},
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": [error],
        "warnings": [],
    }


def finish_job(job: ImportJob, summary: dict[str, Any]) -> None:
    """Keep the summary on the job; "finished with errors" when there were any.

    `units_done` is the number of files really finished, never more.
    """
    job.summary = summary
    job.status = ImportStatus.FAILED if summary["errors"] else ImportStatus.DONE
    job.finished_at = timezone.now()
    job.units_done = count_files_done(job)
    job.claimed_by = ""
    job.save(update_fields=["summary", "status", "finished_at", "units_done", "claimed_by"])


def hand_back(job: ImportJob) -> None:
    """Put a job asked to stop back in the queue, with its progress, and queue its task."""
    job.status, job.claimed_by = ImportStatus.QUEUED, ""
    job.units_done = count_files_done(job)
    job.save(update_fields=["status", "claimed_by", "units_done"])
    logger.info("Import job %s handed back: the worker is stopping.", job.pk)
    transaction.on_commit(lambda: _enqueue(job.pk))


def stop_job(job: ImportJob, names: list[str]) -> dict[str, Any]:
    """Mark a job stopped by a passing fault: its files are kept for a retry, and its summary
    says what was done (the finished parts) and which files are left."""
    left = files_left(job, names)
    summary = UnitBook(job).total().as_json()
    summary["errors"].append(
        {
            "source": "",
            "position": whole_file(),
            "message": _(
                "The import stopped on a passing problem (the database or the disk). What is "
                "listed here is imported; %(count)s of %(total)s files are left: %(left)s. "
                "Retry the import to finish it."
            )
            % {"count": len(left), "total": len(names), "left": ", ".join(left)},
        }
    )
    job.summary, job.status, job.claimed_by = summary, ImportStatus.STOPPED, ""
    job.finished_at = timezone.now()
    job.units_done = len(names) - len(left)
    job.save(update_fields=["summary", "status", "claimed_by", "finished_at", "units_done"])
    return summary


class ImportNotRetryableError(Exception):
    """The job is not stopped (it is queued, running or finished), or its files are gone."""


def retry_import(
    *, actor: User, clinic: Clinic, job_id: uuid.UUID, request: HttpRequest | None = None
) -> ImportJob:
    """Queue a stopped import again with the files already uploaded; it resumes where it stopped.

    Only a job of `clinic` whose files are still there, stopped by a passing fault or left
    running by a worker whose lease expired (queuing it twice is harmless: one run claims it).
    Audit: an "import" event on "import_job_retry" (naming no patient), in the same transaction.
    """
    job = ImportJob.objects.filter(pk=job_id, clinic=clinic).first()
    if job is None or not job.upload_path or not Path(job.upload_path).is_dir():
        raise ImportNotRetryableError
    with transaction.atomic():
        retryable = Q(status=ImportStatus.STOPPED) | lost_jobs()
        queued = ImportJob.objects.filter(retryable, pk=job.pk).update(
            status=ImportStatus.QUEUED, claimed_by="", finished_at=None
        )
        if not queued:
            raise ImportNotRetryableError
        record_event(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="import_job_retry",
            object_id=job.pk,
            acting_as="staff",
            request=request,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    job.refresh_from_db()
    return job
