"""Reads for the staff import pages. Each is bounded to the staff member's own clinic."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from carebridge.clinic.models import Clinic
from carebridge.records.models import ImportJob, ImportStatus, MatchStatus, PatientMatchReview
from carebridge.worker.leases import live_worker_ids

RECENT_JOBS = 10


def list_recent_jobs(*, clinic: Clinic) -> list[ImportJob]:
    """The clinic's latest import jobs, newest first (summaries are not loaded)."""
    return list(
        ImportJob.objects.filter(clinic=clinic)
        .select_related("started_by")
        .defer("summary")
        .order_by("-created_at")[:RECENT_JOBS]
    )


def get_import_job(*, clinic: Clinic, job_id: uuid.UUID) -> ImportJob:
    """One of the clinic's import jobs, else 404 (another clinic's job looks missing)."""
    return get_object_or_404(
        ImportJob.objects.select_related("started_by"), pk=job_id, clinic=clinic
    )


def list_job_reviews(*, job: ImportJob) -> QuerySet[PatientMatchReview]:
    """The patient-match reviews a job raised, without their held resources."""
    return PatientMatchReview.objects.filter(import_job=job).defer("resources").order_by("pk")


def list_pending_reviews(*, clinic: Clinic) -> QuerySet[PatientMatchReview]:
    """The clinic's undecided patient matches, oldest first, with their candidates."""
    return (
        PatientMatchReview.objects.filter(clinic=clinic, status=MatchStatus.PENDING)
        .select_related("candidate")
        .defer("resources")
        .order_by("created_at", "pk")
    )


def get_match_review(*, clinic: Clinic, review_id: int) -> PatientMatchReview:
    """One of the clinic's reviews with its candidate's identifiers, else 404."""
    return get_object_or_404(
        PatientMatchReview.objects.select_related("candidate", "decided_by").prefetch_related(
            "candidate__identifiers"
        ),
        pk=review_id,
        clinic=clinic,
    )


def can_retry_job(job: ImportJob) -> bool:
    """Whether staff may retry the job: an upload (a command's files are not kept) stopped by a
    passing fault, or whose worker was lost."""
    if not job.upload_path:
        return False
    if job.status == ImportStatus.STOPPED:
        return True
    return job.status == ImportStatus.RUNNING and (
        ImportJob.objects.filter(lost_jobs(), pk=job.pk).exists()
    )


def lost_jobs() -> Q:
    """Running jobs whose worker's lease has expired (never those run with no worker)."""
    return Q(status=ImportStatus.RUNNING) & ~Q(claimed_by="") & ~Q(claimed_by__in=live_worker_ids())
