"""The patient's home page, the help page, and the error pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.accounts.checklist_selectors import RESULTS, get_checklist_state
from carebridge.accounts.checklist_services import mark_step_done
from carebridge.clinic.models import Clinic
from carebridge.home.actions import list_quick_actions
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
    context = {
        "panels": load_panels(request),
        "quick_actions": list_quick_actions(acting),
        # The checklist is about the person's own account and record: only when acting for
        # themself (a caregiver acting for someone else does not see it there).
        "checklist": get_checklist_state(acting.user, acting.patient) if acting.is_self else None,
    }
    return render(request, "home/home.html", context)


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """The help page, for everyone (signed out too): the clinic's phone, hours and address,
    how-to answers per section (each under a stable anchor), emergencies, and the self-check."""
    context = {
        # Only read when the page has no clinic of its own (several clinics, nobody's).
        "clinics": Clinic.objects.only("name", "phone"),
        "enrol_url": reverse("accounts:enrol"),
        "reset_url": reverse("account_reset_password"),
    }
    return render(request, "home/help.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def help_results(request: HttpRequest) -> HttpResponse:
    """The help page's results section. The checklist's "How to read a result" button posts
    here, which counts the step as done for a patient acting for themself; a plain visit
    changes nothing."""
    acting = getattr(request, "acting", None)
    if request.method == "POST" and acting is not None and acting.is_self:
        mark_step_done(user=acting.user, step=RESULTS)
    return redirect(reverse("home:help") + "#results")


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
