"""The staff audit report (to be built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.staff.access import staff_required


@staff_required("view_audit_report")
def audit_report(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/console.html")


@staff_required("view_audit_report")
def audit_report_csv(request: HttpRequest) -> HttpResponse:
    return HttpResponse("", content_type="text/csv")
