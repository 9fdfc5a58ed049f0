"""The staff inbox: the threads of the care teams a member answers for, one thread with the
patient's medicines, allergies and recent results beside it, and the queues of requests from
the record.

Any active member of staff may open the inbox, but sees only the teams they answer for, in
their own clinic: another team's thread is a 404, as is a request of a kind their role does not
answer. The services check again, write the changes and their audit; viewing a thread, a file
and the record beside it is audited here.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event, record_list_view
from carebridge.clinic.models import StaffMember
from carebridge.core.http import AuthenticatedRequest
from carebridge.messaging import care_requests, clinic_settings, services, storage, triage
from carebridge.messaging.models import RequestKind, Thread, WrittenAs
from carebridge.patients.models import Patient
from carebridge.records.scope import RecordScope
from carebridge.records.selectors.results import recent_results
from carebridge.records.selectors.sections import list_allergies, list_medications
from carebridge.records.selectors.wording import clinic_zone
from carebridge.staff import inbox_selectors as selectors
from carebridge.staff.access import staff_required
from carebridge.staff.forms import MessageSettingsForm
from carebridge.staff.inbox_forms import (
    AnswerForm,
    AssignForm,
    ForwardForm,
    InboxFilterForm,
    NoteForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    TemplateChoiceForm,
    template_text,
)

PERMISSION = "use_staff_console"
STAFF = WrittenAs.STAFF.value
THREADS_PER_PAGE = 25
REQUESTS_PER_PAGE = 25
RECENT_RESULTS = 5


def _staff(request: AuthenticatedRequest) -> StaffMember:
    # `staff_required` has already checked that the viewer is active staff.
    staff = request.acting.staff
    assert staff is not None
    return staff


def _audit_view(
    request: AuthenticatedRequest, object_type: str, object_id: object, patient: Patient
) -> None:
    record_event(
        actor=request.user,
        action=AuditAction.VIEW,
        object_type=object_type,
        object_id=object_id,
        patient=patient,
        acting_as=STAFF,
        request=request,
    )


@staff_required(PERMISSION)
@require_safe
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """The member's teams, and the chosen team's threads, newest activity first."""
    staff = _staff(request)
    teams = selectors.member_teams(staff)
    team = teams[0] if teams else None
    chosen = request.GET.get("team", "")
    if chosen:
        team = next((t for t in teams if str(t.pk) == chosen), None)
        if team is None:
            raise Http404
    data = request.GET.copy()
    data.setdefault("status", selectors.ALL_OPEN)
    filters = InboxFilterForm(data)
    page = None
    rows: list[selectors.ThreadRow] = []
    if team is not None:
        threads = selectors.inbox_threads(
            team=team,
            user_id=request.user.pk,
            status=filters.chosen_status(),
            mine=filters.only_mine(),
        )
        page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
        threads_shown = list(page.object_list)
        rows = selectors.thread_rows(threads_shown, timezone.now())
        # Audit rule: one view of the inbox for each patient whose conversation is listed.
        record_list_view(
            actor=request.user,
            patients=[thread.patient for thread in threads_shown],
            object_type="inbox",
            request=request,
        )
    context = {"teams": teams, "team": team, "filters": filters, "page": page, "rows": rows}
    return render(request, "staff/inbox_list.html", context)


def _record_panel(request: AuthenticatedRequest, patient: Patient) -> dict[str, Any]:
    """The patient's medicines, allergies and newest results, each audited as the record's
    pages audit them."""
    scope = RecordScope.whole(patient)
    zone = clinic_zone(patient)
    for part in ("medications", "allergies", "results"):
        _audit_view(request, part, "", patient)
    return {
        "medications": list_medications(scope),
        "allergies": list_allergies(scope),
        "results": recent_results(scope, zone, RECENT_RESULTS),
        "time_zone": zone.key,
    }


ACTIONS = ("reply", "note", "assign", "priority", "status", "forward")


def _thread_forms(
    thread: Thread, data: Any = None, action: str = "", initial_body: str = ""
) -> dict[str, Any]:
    def bound(name: str) -> Any:
        return data if action == name else None

    members = selectors.team_members(thread.team)
    current = next((m for m in members if m.user_id == thread.assigned_to_id), None)
    return {
        "reply_form": ReplyForm(bound("reply"), initial={"body": initial_body}),
        "note_form": NoteForm(bound("note"), prefix="note"),
        "assign_form": AssignForm(bound("assign"), members=members, initial={"assignee": current}),
        "priority_form": PriorityForm(bound("priority"), initial={"priority": thread.priority}),
        "status_form": StatusForm(bound("status"), initial={"status": thread.status}),
        "forward_form": ForwardForm(bound("forward"), teams=selectors.other_teams(thread)),
    }


def _apply(
    request: AuthenticatedRequest, thread: Thread, action: str, forms: dict[str, Any]
) -> str:
    """Run the chosen change through the services; the words to flash."""
    user, now = request.user, timezone.now()
    if action in ("reply", "note"):
        form = forms["reply_form" if action == "reply" else "note_form"]
        uploads = request.FILES.getlist("files") if action == "reply" else []
        files = [(upload.name or "", upload.read()) for upload in uploads]
        services.reply(
            actor=user,
            acting_as=STAFF,
            thread=thread,
            body=form.cleaned_data["body"],
            now=now,
            files=files,
            internal=action == "note",
            submission=form.cleaned_data["submission"],
            request=request,
        )
        return (
            _("Your reply has been sent.") if action == "reply" else _("Your note has been added.")
        )
    if action == "assign":
        member = forms["assign_form"].cleaned_data["assignee"]
        triage.assign(
            actor=user, thread=thread, assignee=member.user if member else None, request=request
        )
        return _("The assignment has been changed.")
    if action == "priority":
        triage.set_priority(
            actor=user,
            thread=thread,
            priority=forms["priority_form"].cleaned_data["priority"],
            request=request,
        )
        return _("The priority has been changed.")
    if action == "status":
        triage.set_status(
            actor=user,
            thread=thread,
            status=forms["status_form"].cleaned_data["status"],
            request=request,
        )
        return _("The status has been changed.")
    triage.forward(
        actor=user, thread=thread, team=forms["forward_form"].cleaned_data["team"], request=request
    )
    return _("The conversation has been forwarded.")


FORM_OF = {
    "reply": "reply_form",
    "note": "note_form",
    "assign": "assign_form",
    "priority": "priority_form",
    "status": "status_form",
    "forward": "forward_form",
}


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def inbox_thread(request: AuthenticatedRequest, thread_id: uuid.UUID) -> HttpResponse:
    """The thread's newest messages, internal notes included (`?page=` for earlier ones), with
    the forms to answer and triage it. Viewing marks what is shown read and is audited."""
    staff = _staff(request)
    thread = selectors.get_member_thread(staff, thread_id)
    problem = ""
    forms: dict[str, Any]
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        forms = _thread_forms(thread, request.POST, action)
        if forms[FORM_OF[action]].is_valid():
            try:
                done = _apply(request, thread, action, forms)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                problem = " ".join(error.messages)
            else:
                messages.success(request, done)
                if action == "forward":
                    return redirect("staff:inbox")
                return redirect("staff:inbox-thread", thread.pk)
    else:
        template = TemplateChoiceForm(request.GET)
        key = template.cleaned_data["template"] if template.is_valid() else ""
        forms = _thread_forms(thread, initial_body=template_text(key))
    # The page asked for (the newest after a post) is what is read, and audited.
    entries = selectors.list_thread_entries(thread, request.GET.get("page"))
    newest = entries.rows[-1].message.sent_at if entries.rows else None
    services.mark_shown_read(
        user=request.user,
        thread=thread,
        is_newest_page=entries.is_first,
        newest_shown=newest,
        now=timezone.now(),
    )
    _audit_view(request, services.OBJECT_TYPE, thread.pk, thread.patient)
    context = {
        "thread": thread,
        "entries": entries,
        "problem": problem,
        "template_form": TemplateChoiceForm(request.GET or None),
        **forms,
        **_record_panel(request, thread.patient),
    }
    with timezone.override(clinic_zone(thread.patient)):
        return render(request, "staff/inbox_thread.html", context, status=400 if problem else 200)


@staff_required(PERMISSION)
@require_safe
def inbox_attachment(
    request: AuthenticatedRequest, thread_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponseBase:
    """A file of the thread, as a download the browser does not sniff; audited."""
    thread = selectors.get_member_thread(_staff(request), thread_id)
    attachment = selectors.get_thread_attachment(thread, attachment_id)
    response = storage.attachment_response(attachment)  # 404 (not audited) if it is gone
    _audit_view(request, "message_attachment", attachment.pk, thread.patient)
    return response


@staff_required(PERMISSION)
@require_safe
def request_queue(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's open requests of one kind, oldest first, for the roles that answer it."""
    staff = _staff(request)
    kinds = selectors.kinds_answered_by(staff)
    kind = request.GET.get("kind") or (kinds[0] if kinds else "")
    if kind not in kinds:
        raise Http404
    requests = selectors.open_requests(staff, kind)
    page = Paginator(requests, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    # Audit rule: one view of the queue for each patient whose request is listed.
    record_list_view(
        actor=request.user,
        patients=[care_request.patient for care_request in page.object_list],
        object_type="care_requests",
        request=request,
    )
    context = {
        "kind": kind,
        "kind_label": RequestKind(kind).label,
        "kinds": [(k, RequestKind(k).label) for k in kinds],
        "page": page,
    }
    return render(request, "staff/inbox_requests.html", context)


@staff_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def request_detail(request: AuthenticatedRequest, request_id: uuid.UUID) -> HttpResponse:
    """One request: what was asked, by whom, and the buttons to look at it and answer."""
    care_request = selectors.get_clinic_request(_staff(request), request_id)
    form = AnswerForm()
    problem = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = AnswerForm(request.POST)
        try:
            if action == "review":
                care_requests.start_review(
                    actor=request.user, care_request=care_request, request=request
                )
                messages.success(request, _("The patient now sees that it is being looked at."))
            elif action in ("approve", "decline") and form.is_valid():
                care_requests.answer_request(
                    actor=request.user,
                    care_request=care_request,
                    approve=action == "approve",
                    note=form.cleaned_data["note"],
                    now=timezone.now(),
                    request=request,
                )
                messages.success(request, _("The answer has been sent."))
            else:
                raise Http404
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            return redirect("staff:inbox-request", care_request.pk)
    else:
        _audit_view(request, care_requests.OBJECT_TYPE, care_request.pk, care_request.patient)
    context = {
        "sent": care_request,
        "asked_by": selectors.asked_by_words(care_request),
        "details": care_request.details,
        "form": form,
        "problem": problem,
        "is_open": care_request.status in care_requests.OPEN_STATUSES,
        "queue_url": reverse("staff:inbox-requests") + "?kind=" + care_request.kind,
    }
    with timezone.override(clinic_zone(care_request.patient)):
        return render(request, "staff/inbox_request.html", context, status=400 if problem else 200)


@staff_required("manage_clinic")
@require_http_methods(["GET", "HEAD", "POST"])
def message_settings(request: AuthenticatedRequest) -> HttpResponse:
    """The clinic's messaging settings (clinic administrators): how soon it answers."""
    clinic = _staff(request).clinic
    form = MessageSettingsForm(initial={"reply_days": clinic.message_reply_days})
    if request.method == "POST":
        form = MessageSettingsForm(request.POST)
        if form.is_valid():
            clinic_settings.set_message_reply_days(
                actor=request.user,
                clinic=clinic,
                days=form.cleaned_data["reply_days"],
                request=request,
            )
            messages.success(request, _("Saved. Patients see this before they write."))
            return redirect("staff:message-settings")
    return render(request, "staff/message_settings.html", {"form": form, "clinic": clinic})
