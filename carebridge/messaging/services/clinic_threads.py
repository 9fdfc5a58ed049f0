"""Conversations the clinic starts with a patient (for example "please book your follow-up").

Audit rule: starting one is recorded as "message_from_clinic" (the thread's id) in the same
transaction; the patient is told as they chose, never with the subject or the words.
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.messaging.models import CareTeam, Thread, ThreadStatus, WrittenAs
from carebridge.messaging.services import (
    SUBJECT_MAX_LENGTH,
    add_message,
    audit_thread,
    check_body,
    check_team_member,
    sent_at_the_same_time,
    sent_before,
    tell_patient,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

STAFF_OBJECT_TYPE = "message_from_clinic"


def start_staff_thread(
    *,
    actor: User,
    patient: Patient,
    team: CareTeam,
    topic: str,
    subject: str,
    body: str,
    now: datetime.datetime,
    submission: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Thread:
    """Start a conversation with a patient from one of the actor's care teams (staff only).

    The patient must have a portal account to read and answer it. The thread is saved as
    waiting for the patient, so it stays in the team's inbox without asking the team for an
    answer; the patient's reply makes it new again. Audited as "message_from_clinic" in the
    transaction; the patient hears of it as they chose, like a staff reply (`tell_patient`),
    never with its subject or words. The same `submission` posted again returns its thread.
    A teenager's parent does not see it: it is the teenager's (`ThreadQuerySet.for_patient_side`).
    """
    check_team_member(actor, team)
    if team.clinic_id != patient.clinic_id or not team.is_active:
        raise PermissionDenied
    if patient.user_id is None:
        raise ValidationError(_("This patient has no portal account."), code="no_account")
    earlier = sent_before(actor, submission)
    if earlier is not None:
        return earlier.thread
    subject = subject.strip()[:SUBJECT_MAX_LENGTH]
    if not subject:
        raise ValidationError(_("Give your message a subject."), code="no_subject")
    body = check_body(body)
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                patient=patient,
                team=team,
                topic=topic,
                subject=subject,
                status=ThreadStatus.WAITING_ON_PATIENT,
                created_by=actor,
                created_as=WrittenAs.STAFF,
                last_message_at=now,
            )
            add_message(
                thread=thread,
                actor=actor,
                author_as=WrittenAs.STAFF,
                body=body,
                checked=[],
                paths=[],
                now=now,
                submission=submission,
            )
            audit_thread(actor, AuditAction.CREATE, thread, "staff", request, STAFF_OBJECT_TYPE)
            tell_patient(patient, now)
    except IntegrityError:
        return sent_at_the_same_time(actor, submission).thread
    return thread
