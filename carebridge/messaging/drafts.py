"""Drafts: a message kept unsent until its writer sends it, for a new conversation or a reply.

A draft is a `Message` with no `sent_at`, written by one person; a new conversation that is still
a draft is a `Thread` with no `last_message_at`. Only the writer ever sees a draft: not the
patient a caregiver writes for, and never the clinic (the staff inbox reads sent threads and
sent messages only). Each writer keeps at most one draft per conversation (a database
constraint). Files attached to a draft are checked exactly as when sending, kept with it, and go
with the message when it is sent.

Audit: saving, changing and deleting a draft are recorded ("message_draft", by id) in the same
transaction; sending it is recorded as writing to the care team, like any message. Privacy rule:
nothing is e-mailed about a draft; the team is told only when it is sent.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.messaging.models import Attachment, CareTeam, Message, Thread
from carebridge.messaging.services import (
    SUBJECT_MAX_LENGTH,
    audit_thread,
    check_body,
    check_may_write,
    check_team,
    record_new_message,
)
from carebridge.messaging.storage import (
    attach_files,
    attachment_dir,
    check_files,
    remove_files,
    write_files,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Practitioner
    from carebridge.patients.models import Patient

DRAFT_OBJECT_TYPE = "message_draft"


@dataclass(frozen=True)
class NewThreadFields:
    """What a new conversation's draft says besides its words."""

    team: CareTeam
    topic: str
    subject: str
    practitioner: Practitioner | None = None


def find_reply_draft(thread: Thread, user: User) -> Message | None:
    """The user's unsent reply in this conversation, with its files, if they kept one."""
    drafts = Message.objects.drafts().filter(thread=thread, author=user)
    return drafts.prefetch_related("attachments").first()


def save_draft(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    body: str,
    now: datetime.datetime,
    files: Sequence[tuple[str, bytes]] = (),
    remove: Sequence[uuid.UUID] = (),
    draft: Message | None = None,
    thread: Thread | None = None,
    fields: NewThreadFields | None = None,
    request: HttpRequest | None = None,
) -> Message:
    """Keep what the writer has so far, unsent: a reply in `thread`, or the start of a new
    conversation described by `fields`; `draft` is the writer's draft being changed. Files are
    all checked before anything is written (the draft's kept files share the limit), and
    `remove` names the draft's files to drop. Audited; nobody is told."""
    check_may_write(actor, acting_as, patient, thread.created_as if thread else "")
    if fields is not None:
        check_team(fields.team, patient, fields.practitioner, fields.topic)
    if draft is None and thread is not None:
        draft = find_reply_draft(thread, actor)
    kept = [a for a in draft.attachments.all() if a.pk not in remove] if draft else []
    if not body.strip() and not files and not kept and not (fields and fields.subject.strip()):
        raise ValidationError(_("Write something before saving a draft."), code="empty")
    checked = check_files(files, already=len(kept))
    paths = write_files(checked)
    try:
        with transaction.atomic():
            saved = store_draft(actor, acting_as, patient, body.strip(), draft, thread, fields)
            attach_files(saved, checked, paths)
            delete_attachments(saved.attachments.filter(pk__in=list(remove)))
            action = AuditAction.CREATE if draft is None else AuditAction.UPDATE
            audit_draft(actor, action, saved, acting_as, request)
    except BaseException:
        remove_files(paths)
        raise
    return saved


def store_draft(
    actor: User,
    acting_as: str,
    patient: Patient,
    body: str,
    draft: Message | None,
    thread: Thread | None,
    fields: NewThreadFields | None,
) -> Message:
    if draft is not None:
        draft.body = body
        draft.save(update_fields=["body"])
        if fields is not None and not draft.thread.is_sent:
            update_unsent_thread(draft.thread, fields)
        return draft
    if thread is None:
        if fields is None:
            raise ValidationError(_("Choose the care team to write to."), code="no_team")
        thread = Thread.objects.create(
            patient=patient, created_by=actor, created_as=acting_as, **thread_values(fields)
        )
    return Message.objects.create(thread=thread, author=actor, author_as=acting_as, body=body)


def thread_values(fields: NewThreadFields) -> dict[str, object]:
    return {
        "team": fields.team,
        "practitioner": fields.practitioner,
        "topic": fields.topic,
        "subject": fields.subject.strip()[:SUBJECT_MAX_LENGTH],
    }


def update_unsent_thread(thread: Thread, fields: NewThreadFields) -> None:
    for name, value in thread_values(fields).items():
        setattr(thread, name, value)
    thread.save(update_fields=list(thread_values(fields)))


def delete_attachments(attachments: QuerySet[Attachment]) -> None:
    """Delete these attachments; their stored copies go once the change is committed."""
    paths = [attachment_dir() / name for name in attachments.values_list("stored_name", flat=True)]
    attachments.delete()
    transaction.on_commit(lambda: remove_files(paths))


def send_draft(
    *,
    actor: User,
    acting_as: str,
    draft: Message,
    now: datetime.datetime,
    submission: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Thread:
    """Send the writer's draft with its files: a new conversation reaches its team, a reply
    joins its conversation. Checked again as at sending (who, the team, a subject, the words);
    a draft is sent once, and keeps the sending form's `submission` key so that the same form
    posted again is not sent as a new message. The other side is told after commit, as for any
    message."""
    thread = draft.thread
    check_may_write(actor, acting_as, thread.patient, thread.created_as)
    if draft.author_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
        message = Message.objects.drafts().filter(pk=draft.pk).first()
        if message is None:
            raise ValidationError(_("This draft has already been sent."), code="sent")
        is_new = not locked.is_sent
        if is_new:
            check_unsent_thread(locked)
        message.body = check_body(message.body)
        message.sent_at, message.submission = now, submission
        message.save(update_fields=["body", "sent_at", "submission"])
        record_new_message(locked, acting_as, now)
        action = AuditAction.CREATE if is_new else AuditAction.UPDATE
        audit_thread(actor, action, locked, acting_as, request)
    return locked


def check_unsent_thread(thread: Thread) -> None:
    check_team(thread.team, thread.patient, thread.practitioner, thread.topic)
    if not thread.subject.strip():
        raise ValidationError(_("Give your message a subject."), code="no_subject")


def discard_draft(
    *, actor: User, acting_as: str, draft: Message, request: HttpRequest | None = None
) -> None:
    """Delete the writer's draft and its files (and the conversation, if it was never sent).
    Audited."""
    if draft.author_id != actor.pk or draft.sent_at is not None:
        raise PermissionDenied
    thread = draft.thread
    with transaction.atomic():
        audit_draft(actor, AuditAction.DELETE, draft, acting_as, request)
        delete_attachments(draft.attachments.all())
        draft.delete()
        if not thread.is_sent:
            thread.delete()


def audit_draft(
    actor: User, action: AuditAction, draft: Message, acting_as: str, request: HttpRequest | None
) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type=DRAFT_OBJECT_TYPE,
        object_id=draft.pk,
        patient=draft.thread.patient,
        acting_as=acting_as,
        request=request,
    )
