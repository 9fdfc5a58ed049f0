"""The clinic console (filled in by the staff work)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.staff.access import staff_required


@staff_required("use_staff_console")
def console(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/console.html")


@staff_required("use_staff_console")
def patient_list(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/console.html")


@staff_required("invite_patient")
def patient_invite(request: HttpRequest, patient_id: str) -> HttpResponse:
    return render(request, "staff/console.html")
