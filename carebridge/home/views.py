"""The patient's home page, the help page, and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from carebridge.clinic.models import Clinic
from carebridge.home.panels import load_panels


@login_required
def home(request: HttpRequest) -> HttpResponse:
    acting = request.acting  # type: ignore[attr-defined]
    if acting.patient is None:
        if acting.is_staff:
            return redirect("staff:console")
        if acting.helped:
            # Someone who helps others but has no record of their own: whose account to open.
            return render(request, "home/choose.html")
        return redirect("accounts:overview")
    return render(request, "home/home.html", {"panels": load_panels(request)})


def help_page(request: HttpRequest) -> HttpResponse:
    context = {
        "clinics": Clinic.objects.only("name", "phone"),
        "enrol_url": reverse("accounts:enrol"),
        "reset_url": reverse("account_reset_password"),
    }
    return render(request, "home/help.html", context)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request, so no context processor runs: one of them (or the
    # database they read) may be what failed.
    return HttpResponse(render_to_string("500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
