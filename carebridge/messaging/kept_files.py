"""Files chosen on a writing form that came back with an error are kept, so the writer does
not have to find and choose them again: they are saved with the writer's draft of the message
(`drafts.save_draft`), shown as attached on the form, and sent with it.

No orphan files: a kept file is an attachment of the writer's draft, listed under "Drafts (not
sent yet)" on the messages page; sending the draft sends it, deleting the draft (or ticking
"Remove") deletes it and its stored file (`drafts.delete_attachments`). Nothing is kept when
the files themselves were refused, or when the form does not say enough to keep a draft (a new
message with no topic: the portal cannot pick its team).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carebridge.core.http import AuthenticatedRequest
from carebridge.messaging import drafts
from carebridge.messaging.forms import ComposeForm, DraftMixin
from carebridge.messaging.models import Message
from carebridge.messaging.selectors import pick_team
from carebridge.patients.models import Patient


def keep_files(
    request: AuthenticatedRequest, patient: Patient, form: DraftMixin, **where: Any
) -> Message | None:
    """Save the form's accepted files (and its words so far) with the writer's draft after the
    form came back with an error; the draft, or None when there was nothing to keep or it could
    not be kept (the error stays on the form either way)."""
    uploads = form.cleaned_data.get("attachments") if hasattr(form, "cleaned_data") else None
    if not uploads or "attachments" in form.errors:
        return None
    try:
        return drafts.save_draft(
            actor=request.user,
            acting_as=request.acting.relationship.value,
            patient=patient,
            body=str(form.data.get("body", ""))[:10_000],
            files=form.file_bytes(),
            remove=form.removed(),
            now=timezone.now(),
            request=request,
            **where,
        )
    except (ValidationError, PermissionDenied):
        return None


def keep_files_new(
    request: AuthenticatedRequest, patient: Patient, form: ComposeForm, draft: Message | None
) -> Message | None:
    """`keep_files` for a new conversation: its draft needs the team the topic picks."""
    topic = str(form.cleaned_data.get("topic") or "") if hasattr(form, "cleaned_data") else ""
    practitioner = form.cleaned_data.get("practitioner") if topic else None
    team = pick_team(patient, topic, practitioner) if topic else None
    if team is None:
        return None
    subject = str(form.data.get("subject", ""))[:150]
    fields = drafts.NewThreadFields(
        team=team, topic=topic, subject=subject, practitioner=practitioner
    )
    return keep_files(request, patient, form, draft=draft, fields=fields)
