"""Import jobs: start one from a staff upload, and run one (in a task or in the command)."""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.records.importing.pipeline import Progress, import_files
from carebridge.records.importing.readers import SourceFile, find_files, whole_file
from carebridge.records.models import ImportJob, ImportStatus

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic

logger = logging.getLogger(__name__)


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
    folder.mkdir(parents=True, exist_ok=False)
    names: list[str] = []
    for upload in files:
        name = get_valid_filename(Path(upload.name or "upload.json").name)
        if name in names:
            name = f"{len(names) + 1}-{name}"
        with (folder / name).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        names.append(name)
    return names


def run_job(job_id: str) -> None:
    """Run a queued job over its uploaded files, then remove them.

    Safe to run twice: the job is claimed (queued to running) in one update, so a second run,
    or a second worker, finds it taken and does nothing.
    """
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
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
    run_files(job, files)
    shutil.rmtree(folder, ignore_errors=True)


def run_files(
    job: ImportJob, files: Sequence[SourceFile], progress: Progress | None = None
) -> dict[str, Any]:
    """Import the files as this job: progress on the job as it goes, the summary at the end."""
    job.status, job.units_total, job.units_done = ImportStatus.RUNNING, len(files), 0
    job.save(update_fields=["status", "units_total", "units_done"])
    try:
        summary = import_files(
            clinic=job.clinic,
            files=files,
            job=job,
            actor=job.started_by,
            progress=_reporter(job, progress),
        ).as_json()
    except Exception as error:
        # Only the exception's type: its text may quote the data being imported.
        logger.error("Import job %s stopped: %s", job.pk, type(error).__name__)
        stopped = {
            "source": "",
            "position": whole_file(),
            "message": _(
                "The import stopped on an unexpected problem. Groups already imported are kept."
            ),
        }
        summary = _empty_summary(stopped)
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
    }


def finish_job(job: ImportJob, summary: dict[str, Any]) -> None:
    """Keep the summary on the job; "finished with errors" when there were any."""
    job.summary = summary
    job.status = ImportStatus.FAILED if summary["errors"] else ImportStatus.DONE
    job.finished_at = timezone.now()
    job.units_done = job.units_total
    job.save(update_fields=["summary", "status", "finished_at", "units_done"])
