"""Writes for the first-visit checklist: a step done, the checklist skipped or dismissed, and
the one landing on it after a first sign-in.

Only the person's own progress is stored (no health information), so these are not audited:
the changes they follow (two-step verification, My details, an invitation) are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from carebridge.accounts.checklist_selectors import CAREGIVER, DETAILS, RESULTS
from carebridge.accounts.models import SetupChecklist
from carebridge.audit.models import AuditAction, AuditEvent, AuditOutcome
from carebridge.patients.models import Patient

if TYPE_CHECKING:
    from carebridge.accounts.models import User

# The column each step the person does here is recorded in.
STEP_COLUMNS = {
    DETAILS: "details_confirmed_at",
    RESULTS: "result_help_read_at",
    CAREGIVER: "caregiver_declined_at",
}


def _set_once(user: User, column: str) -> bool:
    """Set a timestamp column if it is still empty; True if this call set it."""
    with transaction.atomic():
        SetupChecklist.objects.get_or_create(user=user)
        updated = SetupChecklist.objects.filter(user=user, **{f"{column}__isnull": True}).update(
            **{column: timezone.now()}
        )
    return updated == 1


def mark_step_done(*, user: User, step: str) -> None:
    """Record that the person did a step (saved My details, read how to read a result, or
    answered "Not now" to inviting a caregiver). Doing it again changes nothing."""
    _set_once(user, STEP_COLUMNS[step])


def skip_checklist(*, user: User) -> None:
    """ "Skip for now": the home page keeps offering to finish."""
    _set_once(user, "skipped_at")


def dismiss_checklist(*, user: User) -> None:
    """ "Don't show again": neither the home page nor a sign-in offers it again."""
    _set_once(user, "dismissed_at")


def take_first_landing(*, user: User) -> bool:
    """True once per person, at their first sign-in (the audit trail holds one successful
    sign-in: the one just recorded) with a record of their own and the checklist not
    dismissed, so that sign-in leads to it and later ones do not. Accounts that signed in
    before the checklist existed, or that enrolled (enrolment was their first visit), are not
    sent to it: the home page offers it instead."""
    if not Patient.objects.filter(user=user).exists():
        return False
    # Enrolment ends signed in, on a page that starts the checklist (two-step verification,
    # then a link to the other steps): it was the first visit, so no sign-in after it is.
    own_events = AuditEvent.objects.filter(actor=user, outcome=AuditOutcome.SUCCESS)
    if own_events.filter(action=AuditAction.ENROL).exists():
        return False
    if own_events.filter(action=AuditAction.SIGN_IN).count() > 1:
        return False
    if SetupChecklist.objects.filter(user=user, dismissed_at__isnull=False).exists():
        return False
    return _set_once(user, "landed_at")
