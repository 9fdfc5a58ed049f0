"""The patient's side of secure messages: the list, the search, writing to a care team, and
drafts (one conversation's pages and files are in `thread_views`).

Views are thin: `messaging.access` finds what the viewer may see (or 404s) and audits the view;
selectors read; services write, check who and what, and audit. Times are in the clinic's zone.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carebridge.core.http import AuthenticatedRequest
from carebridge.messaging import drafts, services
from carebridge.messaging.access import (
    access_own_message,
    access_threads,
    messaging_patient,
)
from carebridge.messaging.forms import ComposeForm, DraftMixin, SearchForm
from carebridge.messaging.kept_files import keep_files_new
from carebridge.messaging.models import Message
from carebridge.messaging.selectors import (
    get_team_for_message,
    list_drafts,
    list_threads,
    practitioners_for,
    search_threads,
    teams_for,
)
from carebridge.patients.models import Patient
from carebridge.records.selectors.wording import clinic_zone

# The writing forms' two buttons: send now, or keep it as a draft.
SEND = "send"
DRAFT = "draft"


def render_in_zone(
    request: AuthenticatedRequest, template: str, context: dict[str, Any]
) -> HttpResponse:
    patient = request.acting.patient
    assert patient is not None
    zone = clinic_zone(patient)
    context = context | {
        "time_zone": zone.key,
        "clinic": patient.clinic,
        "reply_days": patient.clinic.message_reply_days,
    }
    with timezone.override(zone):
        return render(request, template, context)


def add_refusal(form: Form, error: ValidationError) -> None:
    for text in error.messages:
        form.add_error(None, text)


ARCHIVED = "archived"
SEARCH_SESSION_KEY = "messaging_search"


@login_required
@require_safe
def threads(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_threads(request)
    archived = request.GET.get("show") == ARCHIVED
    hidden = request.acting.hides_patients_own_messages
    page = request.GET.get("page")
    listing = list_threads(
        patient, request.user, page, hides_patients_own=hidden, archived=archived
    )
    context = {
        "listing": listing,
        "archived": archived,
        "drafts": [] if archived else list_drafts(patient, request.user, hides_patients_own=hidden),
        "search_form": SearchForm(),
    }
    return render_in_zone(request, "messaging/threads.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def search(request: AuthenticatedRequest) -> HttpResponse:
    """Search words are health information, so they never go in the URL: they are posted, kept
    in the session for this patient, and the results are shown after a redirect (so going back
    and paging work)."""
    patient = access_threads(request)
    searches = request.session.get(SEARCH_SESSION_KEY, {})
    if request.method == "POST":
        form = SearchForm(request.POST)
        text = form.cleaned_data["text"].strip() if form.is_valid() else ""
        request.session[SEARCH_SESSION_KEY] = searches | {str(patient.pk): text}
        return redirect("messaging:search" if text else "messaging:threads")
    text = searches.get(str(patient.pk), "")
    if not text:
        return redirect("messaging:threads")
    hidden = request.acting.hides_patients_own_messages
    listing = search_threads(
        patient, request.user, text, request.GET.get("page"), hides_patients_own=hidden
    )
    context = {"listing": listing, "search_form": SearchForm(initial={"text": text}), "text": text}
    return render_in_zone(request, "messaging/search.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def compose(request: AuthenticatedRequest) -> HttpResponse:
    return compose_page(request, messaging_patient(request), draft=None)


def compose_page(
    request: AuthenticatedRequest, patient: Patient, draft: Message | None
) -> HttpResponse:
    """Writing a new conversation, from nothing or from the writer's draft: "send" or "draft"
    (keep it unsent)."""
    choices = {"practitioners": practitioners_for(patient)}
    kept = list(draft.attachments.all()) if draft else []
    files_kept = False
    if request.method != "POST":
        form = ComposeForm(initial=draft_initial(draft), kept=kept, **choices)
    else:
        action = request.POST.get("action", SEND)
        data, files = request.POST, request.FILES
        form = ComposeForm(data, files, kept=kept, for_draft=action == DRAFT, **choices)
        if form.is_valid():
            try:
                return write_new(request, patient, form, draft, action)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                add_refusal(form, error)
        # Files are kept after the form's own errors, not a refusal (storage may be failing).
        elif saved := keep_files_new(request, patient, form, draft):
            draft, kept, files_kept = saved, list(saved.attachments.all()), True
            form = ComposeForm(data, kept=kept, for_draft=action == DRAFT, **choices)
            form.is_valid()
    context = {
        "form": form,
        "draft": draft,
        "files_kept": files_kept,
        "taking_messages": teams_for(patient).exists(),
    }
    return render_in_zone(request, "messaging/compose.html", context)


def draft_initial(draft: Message | None) -> dict[str, Any]:
    if draft is None:
        return {}
    thread = draft.thread
    return {
        "practitioner": thread.practitioner_id,
        "topic": thread.topic,
        "subject": thread.subject,
        "body": draft.body,
    }


def write_new(
    request: AuthenticatedRequest,
    patient: Patient,
    form: ComposeForm,
    draft: Message | None,
    action: str,
) -> HttpResponse:
    data = form.cleaned_data
    team = get_team_for_message(patient, data["topic"], data["practitioner"])
    if action != DRAFT and draft is None:
        thread = services.start_thread(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            patient=patient,
            team=team,
            practitioner=data["practitioner"],
            topic=data["topic"],
            subject=data["subject"],
            body=data["body"],
            files=form.file_bytes(),
            now=timezone.now(),
            submission=data["submission"],
            request=request,
        )
        messages.success(request, _("Your message is sent."))
        return redirect("messaging:thread", thread.pk)
    fields = drafts.NewThreadFields(
        team=team,
        topic=data["topic"],
        subject=data["subject"],
        practitioner=data["practitioner"],
    )
    saved = save_from_form(request, patient, form, draft=draft, fields=fields)
    return after_saving(request, saved, action, data["submission"])


def save_from_form(
    request: AuthenticatedRequest, patient: Patient, form: DraftMixin, **where: Any
) -> Message:
    return drafts.save_draft(
        actor=request.user,
        acting_as=request.acting.relationship.value,
        patient=patient,
        body=form.cleaned_data["body"],
        files=form.file_bytes(),
        remove=form.removed(),
        now=timezone.now(),
        request=request,
        **where,
    )


def after_saving(
    request: AuthenticatedRequest, saved: Message, action: str, submission: uuid.UUID | None
) -> HttpResponse:
    """Kept as a draft, the writer comes back to it; otherwise it is sent now."""
    if action == DRAFT:
        messages.success(request, _("Your draft is saved. It is not sent yet."))
        if not saved.thread.is_sent:
            return redirect("messaging:draft", saved.pk)
        return redirect(reverse("messaging:thread", args=[saved.thread_id]) + "#reply-heading")
    thread = drafts.send_draft(
        actor=request.user,
        acting_as=request.acting.relationship.value,
        draft=saved,
        now=timezone.now(),
        submission=submission,
        request=request,
    )
    messages.success(request, _("Your message is sent."))
    return redirect("messaging:thread", thread.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draft_edit(request: AuthenticatedRequest, message_id: uuid.UUID) -> HttpResponse:
    """The writer's draft: a new conversation opens in the writing form; a reply opens its
    conversation, where the reply form holds it."""
    draft = access_own_message(request, message_id)
    if not draft.is_draft:
        messages.info(request, _("This message has been sent."))
        return redirect("messaging:thread", draft.thread_id)
    if draft.thread.is_sent:
        return redirect(reverse("messaging:thread", args=[draft.thread_id]) + "#reply-heading")
    return compose_page(request, draft.thread.patient, draft=draft)


@login_required
@require_POST
def draft_delete(request: AuthenticatedRequest, message_id: uuid.UUID) -> HttpResponse:
    draft = access_own_message(request, message_id)
    if not draft.is_draft:
        raise Http404
    thread_id, is_reply = draft.thread_id, draft.thread.is_sent
    try:
        drafts.discard_draft(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            draft=draft,
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Your draft is deleted."))
    return redirect("messaging:thread", thread_id) if is_reply else redirect("messaging:threads")
