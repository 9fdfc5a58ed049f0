"""The day's reconciliation: payments by provider and method, refunds and totals, as a page and
as CSV. It names receipts, never patients, so it is audited as one reading of the report."""

from __future__ import annotations

import csv
import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.staff.access import staff_required
from carebridge.staff.billing.common import clinic_of, clinic_today
from carebridge.staff.billing.forms import ReconciliationForm
from carebridge.staff.billing.selectors import Reconciliation, get_reconciliation

PERMISSION = "billing.manage_billing"


def _day(request: AuthenticatedRequest) -> tuple[ReconciliationForm, datetime.date]:
    """The day asked for (`?date=YYYY-MM-DD`), else today on the clinic's clock."""
    today = clinic_today(clinic_of(request))
    form = ReconciliationForm(request.GET if "date" in request.GET else {"date": today})
    day = form.cleaned_data["date"] if form.is_valid() else today
    return form, day


def _audit(request: AuthenticatedRequest, action: AuditAction) -> None:
    record_event(
        actor=request.user,
        action=action,
        object_type="billing_reconciliation",
        acting_as="staff",
        request=request,
    )


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def reconciliation(request: AuthenticatedRequest) -> HttpResponse:
    """One day's money. Audit rule: each reading is one "billing_reconciliation" view."""
    form, day = _day(request)
    report = get_reconciliation(clinic=clinic_of(request), day=day)
    _audit(request, AuditAction.VIEW)
    # Times on the page are the clinic's clock.
    with timezone.override(ZoneInfo(clinic_of(request).time_zone)):
        context = {"form": form, "report": report}
        return render(request, "staff/billing/reconciliation.html", context)


def _decimal(cents: int) -> str:
    """Exact cents as a decimal: 2500 is "25.00", -5 is "-0.05"."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def csv_rows(report: Reconciliation) -> list[list[str]]:
    """The report's rows: each payment and refund, then a total per provider and method."""
    rows = [["kind", "time", "receipt", "provider", "method", "reference", "amount"]]
    for payment in report.payments:
        assert payment.completed_at is not None
        rows.append(
            [
                "payment",
                payment.completed_at.isoformat(),
                payment.receipt_number,
                payment.provider,
                payment.method,
                payment.desk_reference,
                _decimal(payment.amount_cents),
            ]
        )
    for refund in report.refunds:
        rows.append(
            [
                "refund",
                refund.created_at.isoformat(),
                refund.payment.receipt_number,
                refund.payment.provider,
                refund.payment.method,
                refund.provider_reference,
                _decimal(-refund.amount_cents),
            ]
        )
    for group in report.by_method:
        rows.append(
            ["total", "", "", group.provider, group.method, "", _decimal(group.total_cents)]
        )
    rows.append(["total refunds", "", "", "", "", "", _decimal(-report.refunded_cents)])
    rows.append(["net", "", "", "", "", "", _decimal(report.net_cents)])
    return rows


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD"])
def reconciliation_csv(request: AuthenticatedRequest) -> HttpResponse:
    """The same day as CSV. Audit rule: each download is one "billing_reconciliation" export."""
    _form, day = _day(request)
    report = get_reconciliation(clinic=clinic_of(request), day=day)
    _audit(request, AuditAction.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reconciliation-{day.isoformat()}.csv"'
    csv.writer(response).writerows(csv_rows(report))
    return response
