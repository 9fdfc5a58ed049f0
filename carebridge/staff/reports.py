"""The staff audit report: a clinic's audit trail, on screen and as a CSV download.

Only clinic administrators may use it, and they see only their own clinic's events. Reading the
report and downloading it are both recorded in the trail.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from carebridge.audit import selectors
from carebridge.audit.forms import AuditReportFilterForm
from carebridge.audit.labels import changes_words, describe_for_staff
from carebridge.audit.models import AppendOnlyQuerySet, AuditAction, AuditEvent
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic
from carebridge.core.http import AuthenticatedRequest
from carebridge.staff.access import staff_required

EVENTS_PER_PAGE = 50
CSV_HEADER = [
    "occurred_at",
    "sequence",
    "actor",
    "acting_as",
    "patient_mrn",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "ip",
    "user_agent",
    "request_id",
    "changes",
]
# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _clinic(request: AuthenticatedRequest) -> Clinic:
    staff = request.acting.staff
    assert staff is not None, "staff_required lets only staff through"
    return staff.clinic


def _record_report_use(
    request: AuthenticatedRequest, action: AuditAction, filters: dict[str, Any]
) -> None:
    """Audit a reading or download, tied to the patient when the report is about one."""
    record_event(
        actor=request.user,
        action=action,
        object_type="audit_report",
        patient=selectors.get_clinic_patient(_clinic(request), filters.get("patient_mrn", "")),
        acting_as="staff",
        request=request,
    )


def _events(clinic: Clinic, filters: dict[str, Any]) -> AppendOnlyQuerySet:
    return selectors.list_events_for_report(
        clinic,
        patient_mrn=filters["patient_mrn"],
        user_email=filters["user_email"],
        date_from=filters["date_from"],
        date_to=filters["date_to"],
    )


def _report_page(request: AuthenticatedRequest, form: AuditReportFilterForm) -> dict[str, Any]:
    if not form.is_valid():
        return {}
    events = _events(_clinic(request), form.cleaned_data)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return {"page": page, "rows": [describe_for_staff(event) for event in page.object_list]}


# The filters are posted and kept in the session, never put in the address: an MRN or a
# member of staff's address in a URL would reach the access log, the history and any Referer.
FILTERS_SESSION_KEY = "staff_audit_report_filters"
FILTER_FIELDS = ("patient_mrn", "user_email", "date_from", "date_to")


def _kept_filters(request: AuthenticatedRequest) -> dict[str, str]:
    kept = request.session.get(FILTERS_SESSION_KEY, {})
    if not isinstance(kept, dict):
        return {}
    return {name: str(kept[name]) for name in FILTER_FIELDS if isinstance(kept.get(name), str)}


@staff_required("view_audit_report")
@require_http_methods(["GET", "HEAD", "POST"])
def audit_report(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's audit events, newest first, filtered by patient, user and dates.

    Filters are posted, checked, kept in the session and shown after a redirect; wrong ones are
    shown with their errors and not kept. Audit rule: each reading is recorded (VIEW of
    "audit_report"), even when the filters are wrong and nothing is listed.
    """
    if request.method == "POST" and request.POST.get("clear"):
        request.session.pop(FILTERS_SESSION_KEY, None)
        return redirect("staff:audit-report")
    if request.method == "POST":
        form = AuditReportFilterForm(request.POST)
        if form.is_valid():
            request.session[FILTERS_SESSION_KEY] = {
                name: request.POST.get(name, "").strip() for name in FILTER_FIELDS
            }
            return redirect("staff:audit-report")
    else:
        form = AuditReportFilterForm(_kept_filters(request))
    filters = form.cleaned_data if form.is_valid() else {}
    _record_report_use(request, AuditAction.VIEW, filters)
    tz = selectors.clinic_time_zone(_clinic(request))
    context = {
        "form": form,
        "time_zone": tz.key,
        "is_filtered": any(_kept_filters(request).values()),
        **_report_page(request, form),
    }
    with timezone.override(tz):
        return render(request, "staff/audit_report.html", context)


def neutralise_formula(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula, so it is shown as text."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def csv_row(event: AuditEvent, tz: ZoneInfo) -> list[str]:
    occurred_at = timezone.localtime(event.occurred_at, tz).isoformat(timespec="seconds")
    cells = [
        occurred_at,
        str(event.sequence),
        event.actor.email if event.actor is not None else event.actor_label,
        event.acting_as,
        # The clinic's own patient's MRN; empty for another clinic's (see the selector).
        getattr(event, "report_patient_mrn", ""),
        event.action,
        event.object_type,
        event.object_id,
        event.outcome,
        event.ip,
        event.user_agent,
        event.request_id,
        changes_words(event.changes),
    ]
    return [neutralise_formula(cell) for cell in cells]


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(events: Iterator[AuditEvent], tz: ZoneInfo) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    for event in events:
        yield writer.writerow(csv_row(event, tz))


@staff_required("view_audit_report")
def audit_report_csv(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
    """The events of the filters kept for the report, as a CSV file, streamed row by row so
    any size fits.

    Audit rule: each download is recorded (EXPORT of "audit_report") before the first row is
    sent. Filters that no longer hold (kept before a change of rules) send the user back to
    the report.
    """
    form = AuditReportFilterForm(_kept_filters(request))
    if not form.is_valid():
        return redirect("staff:audit-report")
    _record_report_use(request, AuditAction.EXPORT, form.cleaned_data)
    clinic = _clinic(request)
    events = _events(clinic, form.cleaned_data).iterator(chunk_size=selectors.CHUNK_SIZE)
    response = StreamingHttpResponse(
        csv_lines(events, selectors.clinic_time_zone(clinic)), content_type="text/csv"
    )
    stamp = timezone.localdate(timezone=selectors.clinic_time_zone(clinic)).isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{clinic.slug}-{stamp}.csv"'
    return response
