"""The header switcher: act for yourself ("me") or for someone whose grant is in force."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.proxies.resolution import ACTING_FOR_SESSION_KEY, resolve_acting_context

# The switcher's value for the user's own account.
ME = "me"


@login_required
@require_POST
def switch(request: AuthenticatedRequest) -> HttpResponse:
    """Start acting for someone the user may help today, or go back to their own account.

    Only a patient among the user's grants in force is accepted (400 otherwise, the same for a
    patient who does not exist and one they may not help). Starting to act for someone is
    audited against that patient as done by the proxy, so the patient's activity page shows it.
    """
    chosen = request.POST.get("patient", "")
    if chosen == ME:
        request.session.pop(ACTING_FOR_SESSION_KEY, None)
        return redirect("home:home")
    acting = resolve_acting_context(request.user, chosen)
    if not acting.is_proxy or acting.patient is None:
        return HttpResponseBadRequest()
    request.session[ACTING_FOR_SESSION_KEY] = str(acting.patient.pk)
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="proxy_switch",
        object_id=acting.grant_id,
        patient=acting.patient,
        acting_as="proxy",
        request=request,
    )
    return redirect("home:home")
