"""The staff import pages: upload exports, follow a job's progress, decide patient matches.

Views are thin: the decorator checks the role, selectors read within the staff member's own
clinic (another clinic's job or review is a 404), and services do the writes and their audit.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from carebridge.audit.models import AuditAction
from carebridge.audit.selectors import clinic_time_zone
from carebridge.audit.services import record_event, record_list_view
from carebridge.clinic.models import Clinic
from carebridge.core.http import AuthenticatedRequest
from carebridge.lib.files import FileWriteError
from carebridge.patients.models import AdministrativeSex
from carebridge.records.importing import selectors
from carebridge.records.importing.forms import ImportUploadForm
from carebridge.records.importing.jobs import (
    ImportNotRetryableError,
    retry_import,
    start_upload_import,
)
from carebridge.records.importing.reviews import ReviewAlreadyDecidedError, decide_match_review
from carebridge.records.models import ImportJob, ImportStatus, MatchStatus, PatientMatchReview
from carebridge.records.services import ResourceConflictError
from carebridge.staff.access import staff_required

# A job's page lists at most this many errors; the rest are counted.
ERRORS_SHOWN = 200
DECISIONS = {"same": True, "different": False}


def _clinic(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


def _render(
    request: AuthenticatedRequest, template: str, context: dict[str, Any], clinic: Clinic
) -> HttpResponse:
    zone = clinic_time_zone(clinic)
    with timezone.override(zone):
        return render(request, template, {"time_zone": zone.key, **context})


@staff_required("import_records")
@require_http_methods(["GET", "POST"])
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    """Upload export files and start their import; list the clinic's recent imports.

    Audit: starting an import is recorded by `start_upload_import` (an "import" event).
    """
    clinic = _clinic(request)
    is_post = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if is_post else ImportUploadForm()
    if is_post and form.is_valid():
        try:
            job = start_upload_import(
                actor=request.user,
                clinic=clinic,
                files=form.cleaned_data["exports"],
                request=request,
            )
        except FileWriteError as error:
            # A full disk or a write error: nothing was kept; the form says so at the top.
            form.add_error(None, error)
        else:
            return redirect("staff:import-detail", job_id=job.pk)
    context = {"form": form, "jobs": selectors.list_recent_jobs(clinic=clinic)}
    return _render(request, "staff/imports/upload.html", context, clinic)


@staff_required("import_records")
def import_detail(request: AuthenticatedRequest, job_id: uuid.UUID) -> HttpResponse:
    """A job's progress and, once finished, its summary. htmx asks for the status part only.

    Not audited as a view of patient data: the page shows counts, positions and reasons, and
    no patient's name (the reviews it raised are linked, not described).
    """
    clinic = _clinic(request)
    job = selectors.get_import_job(clinic=clinic, job_id=job_id)
    context = _job_context(request, job)
    if not getattr(request, "htmx", False):
        return _render(request, "staff/imports/detail.html", context, clinic)
    if context["finished"]:
        # The whole page has the summary: load it, which also ends the polling.
        return HttpResponseClientRefresh()
    return _render(request, "staff/imports/detail.html#status", context, clinic)


@staff_required("import_records")
@require_POST
def import_retry(request: AuthenticatedRequest, job_id: uuid.UUID) -> HttpResponse:
    """Queue a stopped import again with the files already uploaded (no new upload).

    Audit: recorded by `retry_import`. Another clinic's job is a 404.
    """
    clinic = _clinic(request)
    job = selectors.get_import_job(clinic=clinic, job_id=job_id)
    try:
        retry_import(actor=request.user, clinic=clinic, job_id=job.pk, request=request)
    except ImportNotRetryableError:
        messages.error(
            request, _("This import cannot be retried: it has not stopped, or its files are gone.")
        )
    else:
        messages.success(request, _("The import is queued again. It goes on where it stopped."))
    return redirect("staff:import-detail", job_id=job.pk)


def _job_context(request: AuthenticatedRequest, job: ImportJob) -> dict[str, Any]:
    finished = job.status in (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.STOPPED)
    summary = job.summary if finished else {}
    errors = summary.get("errors", [])
    warnings = summary.get("warnings", [])
    reviews = list(selectors.list_job_reviews(job=job)) if finished else []
    return {
        "job": job,
        "finished": finished,
        "summary": summary,
        "resource_total": sum(summary.get("resources", {}).values()),
        "errors": errors[:ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        "warnings": warnings[:ERRORS_SHOWN],
        "warnings_hidden": max(0, len(warnings) - ERRORS_SHOWN),
        "pending_reviews": sum(1 for review in reviews if review.status == MatchStatus.PENDING),
        "can_review": request.user.has_perm("clinic.review_patient_matches"),
        "can_retry": selectors.can_retry_job(job),
    }


@staff_required("review_patient_matches")
def match_review_list(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's undecided patient matches. Audit rule: one view of the list for each
    candidate patient it names."""
    clinic = _clinic(request)
    reviews = list(selectors.list_pending_reviews(clinic=clinic))
    record_list_view(
        actor=request.user,
        patients=[review.candidate for review in reviews],
        object_type="match_review_list",
        request=request,
    )
    return _render(request, "staff/imports/review_list.html", {"reviews": reviews}, clinic)


@staff_required("review_patient_matches")
@require_http_methods(["GET", "POST"])
def match_review(request: AuthenticatedRequest, review_id: int) -> HttpResponse:
    """Compare an incoming patient with the candidate and decide: same person or not.

    Audit: viewing is recorded against the candidate; the decision by `decide_match_review`.
    """
    clinic = _clinic(request)
    review = selectors.get_match_review(clinic=clinic, review_id=review_id)
    error = ""
    if request.method == "POST" and review.status == MatchStatus.PENDING:
        decision = DECISIONS.get(request.POST.get("decision", ""))
        if decision is None:
            error = _("Choose whether this is the same person or a different person.")
        else:
            response = _decide(request, clinic, review, same_person=decision)
            if response is not None:
                return response
            error = _(
                "These records could not be added: one of them has an id that already "
                "belongs to another patient's record. Nothing was changed."
            )
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="match_review",
        object_id=review.pk,
        patient=review.candidate,
        acting_as="staff",
        request=request,
    )
    return _render(request, "staff/imports/review.html", _review_context(review, error), clinic)


def _decide(
    request: AuthenticatedRequest, clinic: Clinic, review: PatientMatchReview, *, same_person: bool
) -> HttpResponse | None:
    """Record the decision and go back to the list; None when the records conflict."""
    try:
        decide_match_review(
            actor=request.user,
            clinic=clinic,
            review_id=review.pk,
            same_person=same_person,
            request=request,
        )
    except ReviewAlreadyDecidedError:
        messages.info(request, _("Someone has already decided this match."))
    except ResourceConflictError:
        return None
    else:
        if same_person:
            messages.success(request, _("Done: the records were added to the existing patient."))
        else:
            messages.success(request, _("Done: a new patient was created with these records."))
    return redirect("staff:match-review-list")


def _review_context(review: PatientMatchReview, error: str) -> dict[str, Any]:
    incoming = review.incoming
    types = Counter(resource.get("resourceType", "") for resource in review.resources)
    return {
        "review": review,
        "incoming": incoming,
        "incoming_birth_date": _date(incoming.get("birth_date")),
        "incoming_sex": _sex_label(incoming.get("sex")),
        "candidate": review.candidate,
        "held_total": len(review.resources),
        "held_types": sorted(types.items()),
        "error": error,
        "is_pending": review.status == MatchStatus.PENDING,
    }


def _sex_label(value: Any) -> str:
    return str(AdministrativeSex(value).label) if value in AdministrativeSex.values else ""


def _date(text: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(text))
    except ValueError:
        return None
