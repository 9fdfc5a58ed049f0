"""Writing to the care team and answering: threads, messages, attachments and read marks.

Audit rule: starting a thread, replying and reading are recorded ("message_thread", by id) in the
same transaction, with who acted and as whom. Privacy rule: the e-mails sent after commit say
only that there is something new, with a sign-in link; never the subject, the words, the files,
the team or the clinician.

Attachments are all checked (`attachments.check_attachment`) before anything is written: a
refused file leaves nothing of the message behind. Accepted files are written to
`CAREBRIDGE_ATTACHMENT_DIR` under random names before the transaction and removed again if it
fails.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Practitioner, StaffMember
from carebridge.messaging.attachments import CheckedFile
from carebridge.messaging.models import (
    TEENS_OWN,
    CareTeam,
    Message,
    Thread,
    ThreadRead,
    ThreadStatus,
    WrittenAs,
)
from carebridge.messaging.storage import attach_files, check_files, remove_files, write_files
from carebridge.notifications.services import notify_new_message
from carebridge.proxies.resolution import resolve_acting_context

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.billing.models import Statement
    from carebridge.patients.models import Patient
from carebridge.accounts.kept import forget_for

# The proxy scope that lets a caregiver or parent write for the patient (see `proxies.models`).
MESSAGING_SCOPE = "messaging"
SUBJECT_MAX_LENGTH = 150
OBJECT_TYPE = "message_thread"
FOLDER_OBJECT_TYPE = "message_folder"


def check_may_write(actor: User, acting_as: str, patient: Patient, started_as: str = "") -> None:
    """PermissionDenied unless the actor is the patient or a caregiver or parent whose access
    includes messages today, and, for an existing thread or request (`started_as`: its
    `created_as`), one they may see: a teenager's own (started by them, or by the clinic with
    them) is not their parent's. Only the proxies
    app decides who may act for whom."""
    if acting_as == WrittenAs.SELF:
        allowed = patient.user_id is not None and patient.user_id == actor.pk
    elif acting_as == WrittenAs.PROXY:
        acting = resolve_acting_context(actor, str(patient.pk))
        allowed = acting.is_proxy and acting.may(MESSAGING_SCOPE)
        if acting.hides_patients_own_messages:
            allowed = allowed and started_as not in TEENS_OWN
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied


def check_team_member(actor: User, team: CareTeam) -> None:
    """PermissionDenied unless the actor is active staff of the team's clinic who answers for
    the team."""
    member = StaffMember.objects.filter(
        user=actor, is_active=True, clinic_id=team.clinic_id, care_teams=team
    )
    if not member.exists():
        raise PermissionDenied


def check_team(
    team: CareTeam, patient: Patient, practitioner: Practitioner | None, topic: str = ""
) -> None:
    """ValidationError unless the team is one of the patient's clinic's, taking messages, and
    the clinician (if chosen) is one of its members. Which team answers a topic is the
    portal's choice (`selectors.pick_team`), never the writer's, so the topic is not checked
    against the team here: a topic no team lists goes to the clinic's default team."""
    if team.clinic_id != patient.clinic_id or not team.is_active:
        raise ValidationError(_("Please choose one of your care teams."), code="not_your_team")
    if practitioner is not None and not team.practitioners.filter(pk=practitioner.pk).exists():
        raise ValidationError(_("Please choose a clinician of this care team."), code="not_in_team")


def add_message(
    *,
    thread: Thread,
    actor: User,
    author_as: str,
    body: str,
    checked: list[CheckedFile],
    paths: list[Path],
    now: datetime.datetime,
    internal: bool = False,
    submission: uuid.UUID | None = None,
) -> Message:
    message = Message.objects.create(
        thread=thread,
        author=actor,
        author_as=author_as,
        body=body,
        is_internal=internal,
        sent_at=now,
        submission=submission,
    )
    attach_files(message, checked, paths)
    return message


def audit_thread(
    actor: User,
    action: AuditAction,
    thread: Thread,
    acting_as: str,
    request: HttpRequest | None,
    object_type: str = OBJECT_TYPE,
) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=thread.pk,
        patient=thread.patient,
        acting_as=acting_as,
        request=request,
    )


def check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError(_("Write your message."), code="empty")
    return body


def start_thread(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    team: CareTeam,
    topic: str,
    subject: str,
    body: str,
    now: datetime.datetime,
    files: Sequence[tuple[str, bytes]] = (),
    practitioner: Practitioner | None = None,
    submission: uuid.UUID | None = None,
    request: HttpRequest | None = None,
    statement: Statement | None = None,
) -> Thread:
    """Write to one of the patient's care teams, as the patient or a caregiver or parent with
    the messaging scope. Everything is checked first (who, which team, the words, every file);
    then the thread, its first message and its files are saved in one transaction, audited, and
    the team's staff are told by e-mail after commit. The same `submission` (the form's one-time
    key) posted again returns the conversation it started: nothing is written twice.

    `statement`: the patient's bill the conversation is about (a question from a statement);
    the caller has checked that it is this patient's."""
    check_may_write(actor, acting_as, patient)
    earlier = sent_before(actor, submission)
    if earlier is not None:
        return earlier.thread
    check_team(team, patient, practitioner, topic)
    subject = subject.strip()[:SUBJECT_MAX_LENGTH]
    if not subject:
        raise ValidationError(_("Give your message a subject."), code="no_subject")
    body = check_body(body)
    checked = check_files(files)
    paths = write_files(checked)
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                patient=patient,
                team=team,
                practitioner=practitioner,
                topic=topic,
                subject=subject,
                created_by=actor,
                created_as=acting_as,
                last_message_at=now,
                statement=statement,
            )
            add_message(
                thread=thread,
                actor=actor,
                author_as=acting_as,
                body=body,
                checked=checked,
                paths=paths,
                now=now,
                submission=submission,
            )
            audit_thread(actor, AuditAction.CREATE, thread, acting_as, request)
            tell_team(team, now)
    except IntegrityError:
        remove_files(paths)
        return sent_at_the_same_time(actor, submission).thread
    except BaseException:
        remove_files(paths)
        raise
    return thread


def reply(
    *,
    actor: User,
    acting_as: str,
    thread: Thread,
    body: str,
    now: datetime.datetime,
    files: Sequence[tuple[str, bytes]] = (),
    internal: bool = False,
    submission: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Message:
    """Add a message to a thread: from the patient's side (which reopens a thread waiting for
    them), or from a member of the thread's team (a reply, which the patient is told of, or an
    internal note, which nobody on the patient's side ever sees). The same `submission` posted
    again returns the message it added."""
    if acting_as == WrittenAs.STAFF:
        check_team_member(actor, thread.team)
    else:
        check_may_write(actor, acting_as, thread.patient, thread.created_as)
        if internal:
            raise PermissionDenied
    earlier = sent_before(actor, submission)
    if earlier is not None:
        return earlier
    body = check_body(body)
    checked = check_files(files)
    paths = write_files(checked)
    try:
        with transaction.atomic():
            locked = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
            message = add_message(
                thread=locked,
                actor=actor,
                author_as=acting_as,
                body=body,
                checked=checked,
                paths=paths,
                now=now,
                internal=internal,
                submission=submission,
            )
            if not internal:
                record_new_message(locked, acting_as, now)
            audit_thread(actor, AuditAction.UPDATE, locked, acting_as, request)
    except IntegrityError:
        remove_files(paths)
        return sent_at_the_same_time(actor, submission)
    except BaseException:
        remove_files(paths)
        raise
    return message


def sent_before(actor: User, submission: uuid.UUID | None) -> Message | None:
    """The message this user already sent with this form, if the form is posted again."""
    if submission is None:
        return None
    return (
        Message.objects.filter(submission=submission, author=actor).select_related("thread").first()
    )


def sent_at_the_same_time(actor: User, submission: uuid.UUID | None) -> Message:
    """After a clash on the form's key: the same form posted twice at once, whose other post
    won. A key that is not this user's is refused (it cannot come from their own form)."""
    earlier = sent_before(actor, submission)
    if earlier is None:
        raise ValidationError(
            _("This form was already used. Please write your message again."), code="reused"
        )
    return earlier


def record_new_message(thread: Thread, acting_as: str, now: datetime.datetime) -> None:
    """A message both sides read was added to a locked thread: it is the latest activity, it
    brings the thread back from the patient's archive, the patient's side writing again reopens
    a thread that waited for them or was closed, and the other side is told after commit."""
    thread.last_message_at = now
    thread.archived_by_patient_at = None
    if acting_as != WrittenAs.STAFF and thread.status in (
        ThreadStatus.WAITING_ON_PATIENT,
        ThreadStatus.CLOSED,
    ):
        thread.status = ThreadStatus.NEW
    thread.save(update_fields=["last_message_at", "archived_by_patient_at", "status"])
    if acting_as == WrittenAs.STAFF:
        tell_patient(thread.patient, now)
    else:
        tell_team(thread.team, now)


def archive_thread(
    *,
    actor: User,
    acting_as: str,
    thread: Thread,
    archived: bool,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> Thread:
    """Move a conversation into the patient's archive or back (the clinic still sees it; a new
    message brings it back by itself). Audited as a change of the patient's message folders."""
    check_may_write(actor, acting_as, thread.patient, thread.created_as)
    with transaction.atomic():
        locked = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
        locked.archived_by_patient_at = now if archived else None
        locked.save(update_fields=["archived_by_patient_at"])
        audit_thread(actor, AuditAction.UPDATE, locked, acting_as, request, FOLDER_OBJECT_TYPE)
    return locked


def mark_read(*, user: User, thread: Thread, now: datetime.datetime) -> None:
    """Everything in the thread up to `now` is read by this user (one row per user). What is
    kept for the reader (their unread count) is renewed only when the thread had something
    they had not read: opening a read conversation again keeps it."""
    reading, created = ThreadRead.objects.get_or_create(
        thread=thread, user=user, defaults={"read_at": now}
    )
    if created:
        return  # The new reading's signal renewed what is kept for the reader.
    # Compared in the database with the thread as it is now (the caller's copy may be older).
    this = ThreadRead.objects.filter(pk=reading.pk)
    if this.filter(read_at__lt=F("thread__last_message_at")).update(read_at=now):
        forget_for([user.pk])
    else:
        this.update(read_at=now)


def mark_shown_read(
    *,
    user: User,
    thread: Thread,
    is_newest_page: bool,
    newest_shown: datetime.datetime | None,
    now: datetime.datetime,
) -> None:
    """What the user was shown of the thread is read. The newest page: everything up to
    `now`, as `mark_read`. An earlier page: only up to its newest message (`newest_shown`), and
    a later reading is kept, so looking back never makes newer messages unread again nor
    marks read the newer ones the user has not seen."""
    if is_newest_page or newest_shown is None:
        mark_read(user=user, thread=thread, now=now)
        return
    # Two statements whatever was read before: a reading made if there was none, and moved
    # forward if it was earlier (never back), each safe against a request at the same time.
    reading = ThreadRead(thread=thread, user=user, read_at=newest_shown)
    ThreadRead.objects.bulk_create([reading], ignore_conflicts=True)
    older = ThreadRead.objects.filter(thread=thread, user=user, read_at__lt=newest_shown)
    older.update(read_at=newest_shown)
    # Nothing kept for the reader changes (these writes pass the model's signals by): a reading
    # up to an earlier page's newest message leaves the thread unread, as it was, since the
    # thread's last message is newer still.


def tell_patient(patient: Patient, now: datetime.datetime) -> None:
    """The patient hears that there is a new message, as they chose (by address if they have
    no account)."""
    users = [patient.user] if patient.user is not None else []
    notify_new_message(
        users=users,
        addresses=[] if users or not patient.email else [patient.email],
        subject=gettext_lazy("[Carebridge] You have a new message"),
        sentence=gettext_lazy("You have a new message from your care team."),
        now=now,
    )


def tell_team(team: CareTeam, now: datetime.datetime) -> None:
    """The team's staff hear that a patient wrote, each as they chose."""
    members = team.members.filter(is_active=True).select_related("user")
    notify_new_message(
        users=[member.user for member in members],
        addresses=[],
        subject=gettext_lazy("[Carebridge] New message in a team inbox"),
        sentence=gettext_lazy("A patient has written to one of your team inboxes."),
        now=now,
    )
