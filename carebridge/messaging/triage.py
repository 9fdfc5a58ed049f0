"""The staff inbox's own changes to a thread: who has it, how urgent it is, where it stands,
and which team answers it.

Only active staff who answer for the thread's team may change it (forwarding hands it to
another team of the same clinic, whose members then may). Audit: each change is an "update"
of the thread, acting as staff, in the same transaction. Nothing here is told to the patient:
the status they see is the thread's, in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam, Priority, Thread, ThreadStatus, WrittenAs
from carebridge.messaging.services import audit_thread, check_team_member

if TYPE_CHECKING:
    from carebridge.accounts.models import User


def _change(actor: User, thread: Thread, request: HttpRequest | None, **fields: object) -> Thread:
    check_team_member(actor, thread.team)
    with transaction.atomic():
        locked = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
        audit_thread(actor, AuditAction.UPDATE, locked, WrittenAs.STAFF, request)
    return locked


def assign(
    *, actor: User, thread: Thread, assignee: User | None, request: HttpRequest | None = None
) -> Thread:
    """Give the thread to a member of its team (or to nobody); a new thread is then in
    progress."""
    if assignee is not None:
        members = StaffMember.objects.filter(user=assignee, is_active=True, care_teams=thread.team)
        if not members.exists():
            raise ValidationError(
                _("Choose someone who answers for this team."), code="not_a_member"
            )
    status = thread.status
    if assignee is not None and status == ThreadStatus.NEW:
        status = ThreadStatus.IN_PROGRESS
    return _change(actor, thread, request, assigned_to=assignee, status=status)


def set_priority(
    *, actor: User, thread: Thread, priority: str, request: HttpRequest | None = None
) -> Thread:
    if priority not in Priority.values:
        raise ValidationError(_("Choose a priority."), code="priority")
    return _change(actor, thread, request, priority=priority)


def set_status(
    *, actor: User, thread: Thread, status: str, request: HttpRequest | None = None
) -> Thread:
    if status not in ThreadStatus.values:
        raise ValidationError(_("Choose a status."), code="status")
    return _change(actor, thread, request, status=status)


def forward(
    *, actor: User, thread: Thread, team: CareTeam, request: HttpRequest | None = None
) -> Thread:
    """Hand the thread to another active team of the same clinic; it arrives there as new and
    unassigned."""
    if team.clinic_id != thread.team.clinic_id or not team.is_active or team.pk == thread.team_id:
        raise ValidationError(_("Choose another team of this clinic."), code="team")
    return _change(actor, thread, request, team=team, assigned_to=None, status=ThreadStatus.NEW)
