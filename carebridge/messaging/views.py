"""The patient's side of secure messages: the list, writing to a care team, one conversation
with its reply form, and the attached files.

Views are thin: `messaging.access` finds what the viewer may see (or 404s) and audits the view;
selectors read; services write, check who and what, and audit. Times are in the clinic's zone.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from carebridge.core.http import AuthenticatedRequest
from carebridge.messaging import services
from carebridge.messaging.access import (
    access_attachment,
    access_thread,
    access_threads,
    messaging_patient,
)
from carebridge.messaging.forms import ComposeForm, ReplyForm
from carebridge.messaging.models import Thread
from carebridge.messaging.selectors import (
    list_threads,
    practitioners_for,
    teams_for,
    thread_messages,
)
from carebridge.records.selectors.wording import clinic_zone


def render_in_zone(
    request: AuthenticatedRequest, template: str, context: dict[str, Any]
) -> HttpResponse:
    patient = request.acting.patient
    assert patient is not None
    zone = clinic_zone(patient)
    context = context | {
        "time_zone": zone.key,
        "clinic": patient.clinic,
        "reply_days": settings.CAREBRIDGE_MESSAGE_REPLY_DAYS,
    }
    with timezone.override(zone):
        return render(request, template, context)


def add_refusal(form: Form, error: ValidationError) -> None:
    for text in error.messages:
        form.add_error(None, text)


@login_required
@require_safe
def threads(request: AuthenticatedRequest) -> HttpResponse:
    patient = access_threads(request)
    listing = list_threads(patient, request.user, request.GET.get("page"))
    return render_in_zone(request, "messaging/threads.html", {"listing": listing})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def compose(request: AuthenticatedRequest) -> HttpResponse:
    patient = messaging_patient(request)
    choices = {"teams": teams_for(patient), "practitioners": practitioners_for(patient)}
    if request.method != "POST":
        form = ComposeForm(**choices)
    else:
        form = ComposeForm(request.POST, request.FILES, **choices)
        if form.is_valid():
            data = form.cleaned_data
            try:
                thread = services.start_thread(
                    actor=request.user,
                    acting_as=request.acting.relationship.value,
                    patient=patient,
                    team=data["team"],
                    practitioner=data["practitioner"],
                    topic=data["topic"],
                    subject=data["subject"],
                    body=data["body"],
                    files=form.file_bytes(),
                    now=timezone.now(),
                    request=request,
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                add_refusal(form, error)
            else:
                messages.success(request, _("Your message is sent."))
                return redirect("messaging:thread", thread.pk)
    return render_in_zone(request, "messaging/compose.html", {"form": form})


def thread_page(
    request: AuthenticatedRequest, thread: Thread, form: ReplyForm, status: int = 200
) -> HttpResponse:
    shown = thread_messages(thread)
    services.mark_read(user=request.user, thread=thread, now=timezone.now())
    context = {"thread": thread, "shown": shown, "form": form}
    response = render_in_zone(request, "messaging/thread.html", context)
    response.status_code = status
    return response


@login_required
@require_safe
def thread_detail(request: AuthenticatedRequest, thread_id: uuid.UUID) -> HttpResponse:
    thread = access_thread(request, thread_id)
    return thread_page(request, thread, ReplyForm())


@login_required
@require_POST
def thread_reply(request: AuthenticatedRequest, thread_id: uuid.UUID) -> HttpResponse:
    thread = access_thread(request, thread_id)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.reply(
                actor=request.user,
                acting_as=request.acting.relationship.value,
                thread=thread,
                body=form.cleaned_data["body"],
                files=form.file_bytes(),
                now=timezone.now(),
                request=request,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect("messaging:thread", thread.pk)
    return thread_page(request, thread, form)


@login_required
@require_safe
def attachment_download(
    request: AuthenticatedRequest, thread_id: uuid.UUID, attachment_id: uuid.UUID
) -> FileResponse:
    attachment = access_attachment(request, thread_id, attachment_id)
    path = services.attachment_dir() / attachment.stored_name
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
