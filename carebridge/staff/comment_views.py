"""Releasing one held result with a comment for the patient, and the clinic's quick comments.

Everything is scoped to the staff member's own clinic: another clinic's result or quick
comment is a 404. Opening a result's release page is audited as a view of that result for its
patient; the release and the comment are audited by the service, in its transaction. Quick
comments are configuration, audited before and after by their services.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic
from carebridge.core.http import AuthenticatedRequest
from carebridge.records.models import ClinicalResource, QuickComment, Release, ResourceType
from carebridge.records.selectors.held import (
    get_clinic_result,
    held_report_rows,
    held_rows,
    with_report_results,
)
from carebridge.records.services import (
    add_quick_comment,
    change_quick_comment,
    move_quick_comment,
    release_with_comment,
    remove_quick_comment,
)
from carebridge.staff.access import staff_required
from carebridge.staff.comment_forms import QuickCommentForm, ReleaseCommentForm


def _clinic(request: AuthenticatedRequest) -> Clinic:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff.clinic


def _quick_comments(clinic: Clinic) -> list[QuickComment]:
    return list(QuickComment.objects.filter(clinic=clinic))


@staff_required("release_results")
@require_http_methods(["GET", "POST"])
def held_result(request: AuthenticatedRequest, resource_id: int) -> HttpResponse:
    """One held result or report: what it says, a comment to add, and "Release"."""
    clinic = _clinic(request)
    row = get_clinic_result(clinic, resource_id)
    if row is None:
        raise Http404
    if row.release != Release.HELD:
        # A second click, or a colleague was quicker: nothing to do here any more.
        messages.warning(request, _("This result has already been released."))
        return redirect("staff:held-results")
    form = ReleaseCommentForm(
        request.POST if request.method == "POST" else None,
        quick_comments=_quick_comments(clinic),
    )
    if request.method == "POST" and form.is_valid():
        return _release(request, clinic, row, form.cleaned_data["comment"])
    # Audit rule: the page shows one patient's result with its value.
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="result",
        object_id=row.pk,
        patient=row.patient,
        acting_as="staff",
        request=request,
    )
    return render(request, "staff/held_result.html", _context(clinic, row, form))


def _context(clinic: Clinic, row: ClinicalResource, form: ReleaseCommentForm) -> dict[str, Any]:
    zone = ZoneInfo(clinic.time_zone)
    is_report = row.resource_type == ResourceType.DIAGNOSTIC_REPORT
    return {
        "row": held_rows([row], zone)[0],
        "members": held_report_rows(clinic, row, zone) if is_report else [],
        "form": form,
    }


def _release(
    request: AuthenticatedRequest, clinic: Clinic, row: ClinicalResource, comment: str
) -> HttpResponse:
    released = release_with_comment(
        actor=request.user,
        clinic=clinic,
        resource=row,
        resource_ids=with_report_results(clinic, [row.pk]),
        comment=comment,
        request=request,
    )
    if not released:
        messages.warning(request, _("This result has already been released."))
    elif comment:
        messages.success(
            request,
            _(
                "Released with your comment. The patient has been told by e-mail that "
                "something new is in their record."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "Released. The patient has been told by e-mail that something new is in "
                "their record."
            ),
        )
    return redirect("staff:held-results")


@staff_required("manage_clinic")
@require_http_methods(["GET", "POST"])
def quick_comments(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's quick comments: add one, change, remove or move one (clinic administrators).

    Each POST names what to do (`action`) and, except for adding, which comment (`comment`)."""
    clinic = _clinic(request)
    form = QuickCommentForm()
    failed: tuple[int, QuickCommentForm] | None = None
    if request.method == "POST":
        outcome = _change(request, clinic)
        if outcome is None:
            return redirect("staff:setup-quick-comments")
        failed = outcome
        if outcome[0] == 0:
            form = outcome[1]
    listed = [
        (quick, failed[1] if failed and failed[0] == quick.pk else _form_for(quick))
        for quick in _quick_comments(clinic)
    ]
    # Each box's label says which it is, so a screen reader never hears ten alike.
    for number, (_quick, quick_form) in enumerate(listed, start=1):
        quick_form.fields["text"].label = _("Quick comment %(number)d") % {"number": number}
    context = {"form": form, "listed": listed, "clinic": clinic}
    return render(request, "staff/quick_comments.html", context, status=400 if failed else 200)


def _form_for(quick: QuickComment) -> QuickCommentForm:
    return QuickCommentForm(initial={"text": quick.text}, prefix=f"quick-{quick.pk}")


def _chosen(request: AuthenticatedRequest, clinic: Clinic) -> QuickComment:
    chosen = request.POST.get("comment", "")
    found = None
    if chosen.isdigit():
        found = QuickComment.objects.filter(clinic=clinic, pk=chosen).first()
    if found is None:
        # Another clinic's comment, one removed meanwhile, or no comment at all.
        raise Http404
    return found


def _change(request: AuthenticatedRequest, clinic: Clinic) -> tuple[int, QuickCommentForm] | None:
    """Do what was asked; None when done, else (the comment's id or 0 for a new one, the form
    with its errors)."""
    action = request.POST.get("action", "")
    if action == "add":
        return _save(request, QuickCommentForm(request.POST), 0, clinic=clinic)
    if action not in ("save", "remove", "up", "down"):
        raise Http404
    quick = _chosen(request, clinic)
    if action == "save":
        form = QuickCommentForm(request.POST, prefix=f"quick-{quick.pk}")
        return _save(request, form, quick.pk, quick=quick)
    if action == "remove":
        remove_quick_comment(actor=request.user, quick=quick, request=request)
        messages.success(request, _("Removed the quick comment."))
    else:
        move_quick_comment(actor=request.user, quick=quick, up=action == "up", request=request)
        messages.success(request, _("Moved the quick comment."))
    return None


def _save(
    request: AuthenticatedRequest,
    form: QuickCommentForm,
    pk: int,
    *,
    clinic: Clinic | None = None,
    quick: QuickComment | None = None,
) -> tuple[int, QuickCommentForm] | None:
    if not form.is_valid():
        return pk, form
    text = form.cleaned_data["text"]
    try:
        if quick is not None:
            change_quick_comment(actor=request.user, quick=quick, text=text, request=request)
        else:
            assert clinic is not None
            add_quick_comment(actor=request.user, clinic=clinic, text=text, request=request)
    except ValidationError as error:
        form.add_error(None, error)
        return pk, form
    messages.success(request, _("Saved the quick comment."))
    return None
