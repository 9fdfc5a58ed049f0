"""The first-visit checklist page: four steps, each a link to where it is done, with "Skip
for now" and "Don't show again". Only for a patient acting for themself; anyone else (staff,
a caregiver-only account, a caregiver acting for someone) is sent to the home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from carebridge.accounts import checklist_services
from carebridge.accounts.checklist_selectors import CAREGIVER, get_checklist_state
from carebridge.core.http import AuthenticatedRequest

SKIP, DISMISS, NOT_NOW = "skip", "dismiss", "caregiver_not_now"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def welcome(request: AuthenticatedRequest) -> HttpResponse:
    acting = request.acting
    if not acting.is_self or acting.patient is None:
        return redirect("home:home")
    if request.method == "POST":
        return _answer(request, request.POST.get("action", ""))
    state = get_checklist_state(request.user, acting.patient)
    return render(request, "accounts/welcome.html", {"checklist": state})


def _answer(request: AuthenticatedRequest, action: str) -> HttpResponse:
    user = request.user
    if action == SKIP:
        checklist_services.skip_checklist(user=user)
        return redirect("home:home")
    if action == DISMISS:
        checklist_services.dismiss_checklist(user=user)
        return redirect("home:home")
    if action == NOT_NOW:
        checklist_services.mark_step_done(user=user, step=CAREGIVER)
    return redirect("accounts:welcome")
