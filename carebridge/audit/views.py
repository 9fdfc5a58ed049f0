"""The patient's "Account activity" page (filled in by the audit work)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def account_activity(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/activity.html", {"events": []})
