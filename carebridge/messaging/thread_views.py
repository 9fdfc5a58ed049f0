"""The patient's side of one conversation: its messages a page at a time (the newest first
shown, "Earlier messages" for those before), the reply form, the archive button, and the
attached files.

Views are thin: `messaging.access` finds what the viewer may see (or 404s) and audits the view
(every page of it); selectors read; services write, check who and what, and audit. Opening a
page marks what it shows as read (`services.mark_shown_read`). Times are in the clinic's zone.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from carebridge.core.http import AuthenticatedRequest
from carebridge.messaging import drafts, services, storage
from carebridge.messaging.access import access_attachment, access_thread
from carebridge.messaging.forms import ReplyForm
from carebridge.messaging.kept_files import keep_files
from carebridge.messaging.models import Message, Thread
from carebridge.messaging.selectors import is_answered, list_thread_messages
from carebridge.messaging.views import (
    DRAFT,
    SEND,
    add_refusal,
    after_saving,
    render_in_zone,
    save_from_form,
)


def thread_page(
    request: AuthenticatedRequest,
    thread: Thread,
    form: ReplyForm | None = None,
    draft: Message | None = None,
    files_kept: bool = False,
) -> HttpResponse:
    """The conversation's page asked for (`?page=`, the newest by default and after a post),
    whose messages are then read; "Answered" is worked out over the whole conversation."""
    shown = list_thread_messages(thread, request.GET.get("page"))
    newest = shown.rows[-1].message.sent_at if shown.rows else None
    services.mark_shown_read(
        user=request.user,
        thread=thread,
        is_newest_page=shown.is_first,
        newest_shown=newest,
        now=timezone.now(),
    )
    if form is None:
        kept = list(draft.attachments.all()) if draft else []
        form = ReplyForm(initial={"body": draft.body if draft else ""}, kept=kept)
    context = {
        "thread": thread,
        "shown": shown,
        "answered": is_answered(thread),
        "form": form,
        "draft": draft,
        "files_kept": files_kept,
    }
    return render_in_zone(request, "messaging/thread.html", context)


@login_required
@require_safe
def thread_detail(request: AuthenticatedRequest, thread_id: uuid.UUID) -> HttpResponse:
    thread = access_thread(request, thread_id)
    return thread_page(request, thread, draft=drafts.find_reply_draft(thread, request.user))


@login_required
@require_POST
def thread_reply(request: AuthenticatedRequest, thread_id: uuid.UUID) -> HttpResponse:
    thread = access_thread(request, thread_id)
    draft = drafts.find_reply_draft(thread, request.user)
    kept = list(draft.attachments.all()) if draft else []
    action = request.POST.get("action", SEND)
    form = ReplyForm(request.POST, request.FILES, kept=kept, for_draft=action == DRAFT)
    if form.is_valid():
        try:
            return write_reply(request, thread, form, draft, action)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            add_refusal(form, error)
    elif saved := keep_files(request, thread.patient, form, draft=draft, thread=thread):
        form = ReplyForm(request.POST, kept=list(saved.attachments.all()), for_draft=False)
        form.is_valid()
        return thread_page(request, thread, form, saved, files_kept=True)
    return thread_page(request, thread, form, draft)


def write_reply(
    request: AuthenticatedRequest,
    thread: Thread,
    form: ReplyForm,
    draft: Message | None,
    action: str,
) -> HttpResponse:
    if action == DRAFT or draft is not None:
        saved = save_from_form(request, thread.patient, form, draft=draft, thread=thread)
        return after_saving(request, saved, action, form.cleaned_data["submission"])
    services.reply(
        actor=request.user,
        acting_as=request.acting.relationship.value,
        thread=thread,
        body=form.cleaned_data["body"],
        files=form.file_bytes(),
        now=timezone.now(),
        submission=form.cleaned_data["submission"],
        request=request,
    )
    messages.success(request, _("Your message is sent."))
    return redirect("messaging:thread", thread.pk)


@login_required
@require_POST
def thread_archive(request: AuthenticatedRequest, thread_id: uuid.UUID) -> HttpResponse:
    """Move the conversation to the archive, or back ("restore")."""
    thread = access_thread(request, thread_id)
    archived = request.POST.get("action") != "restore"
    try:
        services.archive_thread(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            thread=thread,
            archived=archived,
            now=timezone.now(),
            request=request,
        )
    except PermissionDenied:
        raise Http404 from None
    if archived:
        messages.success(request, _("The conversation is in your archive."))
        return redirect("messaging:threads")
    messages.success(request, _("The conversation is back in your messages."))
    return redirect("messaging:thread", thread.pk)


@login_required
@require_safe
def attachment_download(
    request: AuthenticatedRequest, thread_id: uuid.UUID, attachment_id: uuid.UUID
) -> FileResponse:
    attachment = access_attachment(request, thread_id, attachment_id)
    return storage.attachment_response(attachment)
