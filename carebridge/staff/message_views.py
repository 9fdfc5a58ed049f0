"""Staff start a conversation with a patient of their clinic, from one of their care teams.

Access: active staff with the console (`use_staff_console`); the patient must be the viewer's
clinic's (another clinic's is a 404). Writing needs membership of at least one of the clinic's
active care teams and a patient with a portal account: otherwise the page says why and a post
changes nothing. Opening the page is audited as a view for the patient ("message_to_patient");
sending is audited by `messaging.services.clinic_threads.start_staff_thread`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.core.http import AuthenticatedRequest
from carebridge.messaging.models import CareTeam
from carebridge.messaging.services.clinic_threads import start_staff_thread
from carebridge.patients.models import Patient
from carebridge.staff.access import staff_required
from carebridge.staff.message_forms import StaffMessageForm
from carebridge.staff.proxy_selectors import get_clinic_patient


def _writing_teams(request: AuthenticatedRequest) -> list[CareTeam]:
    staff = request.acting.staff
    assert staff is not None
    teams = CareTeam.objects.filter(members=staff, clinic_id=staff.clinic_id, is_active=True)
    return list(teams.order_by("name"))


@staff_required("use_staff_console")
@require_http_methods(["GET", "POST"])
def patient_message(request: AuthenticatedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The form to write to a patient (GET), or send it (POST, then to the new conversation
    in the team's inbox)."""
    staff = request.acting.staff
    assert staff is not None
    patient = get_clinic_patient(clinic=staff.clinic, patient_id=patient_id)
    teams = _writing_teams(request)
    data = request.POST if request.method == "POST" else None
    form = StaffMessageForm(data, teams=teams)
    refusal = _refusal(patient, teams)
    status = 200
    if request.method == "POST" and not refusal:
        if form.is_valid():
            sent = _send(request, patient, form)
            if sent is not None:
                return sent
        status = 400
    elif refusal and request.method == "POST":
        status = 400
    _audit_view(request, patient)
    context: dict[str, Any] = {"patient": patient, "form": form, "refusal": refusal}
    return render(request, "staff/patient_message.html", context, status=status)


def _refusal(patient: Patient, teams: list[CareTeam]) -> str:
    """Why nothing can be sent, in plain words ("" when it can)."""
    if patient.user_id is None:
        return _(
            "%(name)s has no portal account, so they cannot read a message here. Phone or "
            "write to them instead, or invite them to the portal."
        ) % {"name": patient.display_name}
    if not teams:
        return _(
            "You do not answer for any of the clinic's care teams, so a reply would reach "
            "nobody. Ask your clinic administrator to add you to a team."
        )
    return ""


def _send(
    request: AuthenticatedRequest, patient: Patient, form: StaffMessageForm
) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        thread = start_staff_thread(
            actor=request.user,
            patient=patient,
            team=data["team"],
            topic=form.chosen_topic(),
            subject=data["subject"],
            body=data["body"],
            now=timezone.now(),
            submission=data["submission"],
            request=request,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    except PermissionDenied:
        # The team changed between the page and the post (the writer left it, or it closed).
        form.add_error("team", _("You no longer answer for this team. Choose another."))
        return None
    messages.success(
        request,
        _(
            "Sent. %(name)s has been told there is a new message, as they chose; their "
            "answer will arrive in the team's inbox."
        )
        % {"name": patient.display_name},
    )
    return redirect("staff:inbox-thread", thread_id=thread.pk)


def _audit_view(request: AuthenticatedRequest, patient: Patient) -> None:
    # Audit rule: the page names the patient.
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type="message_to_patient",
        patient=patient,
        acting_as="staff",
        request=request,
    )
