"""Comments for the patient on released results, and the clinic's quick comments.

Privacy rule: a comment's words are health information. They are stored and shown on the
record's pages only; the release e-mail still says only that something new is in the record,
and audit events name the comment by id. Quick comments are the clinic's configuration: each
change is audited with `record_change` (object type "quick_comment"), before and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change, record_event
from carebridge.records.models import (
    COMMENT_MAX_LENGTH,
    ClinicalResource,
    QuickComment,
    ResultComment,
)
from carebridge.records.services.results import release_results

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic

QUICK_COMMENT = "quick_comment"
# Enough for every common case; a longer list is harder to choose from at release.
QUICK_COMMENTS_MAX = 20


def clean_comment(text: str) -> str:
    """The comment's words, stripped; ValidationError when empty or over 1000 characters."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the comment."), code="empty")
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("Keep the comment to %(max)d characters or fewer.") % {"max": COMMENT_MAX_LENGTH},
            code="too_long",
        )
    return text


def release_with_comment(
    *,
    actor: User,
    clinic: Clinic,
    resource: ClinicalResource,
    resource_ids: Sequence[int],
    comment: str = "",
    request: HttpRequest | None = None,
) -> list[ClinicalResource]:
    """Release `resource` (with `resource_ids`, a report's results) and, when `comment` is
    given, add the clinician's comment to it, in one transaction.

    Audit: the releases as `release_results` records them; the comment as CREATE
    "result_comment" with the patient. Nothing is written when the resource is no longer held
    (a second click): the empty list says so. The e-mail never holds the comment.
    """
    text = clean_comment(comment) if comment else ""
    with transaction.atomic():
        released = release_results(actor=actor, clinic=clinic, resource_ids=resource_ids)
        if text and any(row.pk == resource.pk for row in released):
            _add_comment(actor, resource, text, request)
    return released


def _add_comment(
    actor: User, resource: ClinicalResource, text: str, request: HttpRequest | None
) -> ResultComment:
    assert resource.patient is not None
    comment = ResultComment.objects.create(
        resource=resource, patient=resource.patient, text=text, written_by=actor
    )
    record_event(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="result_comment",
        object_id=comment.pk,
        patient=resource.patient,
        acting_as="staff",
        request=request,
    )
    return comment


def _state(quick: QuickComment) -> dict[str, object]:
    return {"text": quick.text, "position": quick.position}


def add_quick_comment(
    *, actor: User, clinic: Clinic, text: str, request: HttpRequest | None = None
) -> QuickComment:
    """Add a quick comment at the end of the clinic's list (at most 20). Audited as CREATE."""
    text = clean_comment(text)
    with transaction.atomic():
        existing = QuickComment.objects.select_for_update().filter(clinic=clinic)
        if existing.count() >= QUICK_COMMENTS_MAX:
            raise ValidationError(
                _("The list is full: remove a quick comment before adding another."),
                code="full",
            )
        last = existing.aggregate(last=Max("position"))["last"]
        quick = QuickComment.objects.create(
            clinic=clinic, text=text, position=0 if last is None else last + 1
        )
        record_change(
            actor=actor,
            object_type=QUICK_COMMENT,
            object_id=quick.pk,
            before={},
            after=_state(quick),
            action=AuditAction.CREATE,
            request=request,
        )
    return quick


def change_quick_comment(
    *, actor: User, quick: QuickComment, text: str, request: HttpRequest | None = None
) -> QuickComment:
    """Change a quick comment's words (comments already written keep theirs). Audited as
    UPDATE; nothing is recorded when the words are the same."""
    text = clean_comment(text)
    with transaction.atomic():
        before = _state(quick)
        quick.text = text
        quick.save(update_fields=["text"])
        record_change(
            actor=actor,
            object_type=QUICK_COMMENT,
            object_id=quick.pk,
            before=before,
            after=_state(quick),
            request=request,
        )
    return quick


def remove_quick_comment(
    *, actor: User, quick: QuickComment, request: HttpRequest | None = None
) -> None:
    """Remove a quick comment from the list. Audited as DELETE with what it was."""
    with transaction.atomic():
        before, pk = _state(quick), quick.pk
        quick.delete()
        record_change(
            actor=actor,
            object_type=QUICK_COMMENT,
            object_id=pk,
            before=before,
            after={},
            action=AuditAction.DELETE,
            request=request,
        )


def move_quick_comment(
    *, actor: User, quick: QuickComment, up: bool, request: HttpRequest | None = None
) -> None:
    """Swap a quick comment with the one above (or below) it; nothing at the list's end.

    Audit: one UPDATE of each moved comment's position."""
    with transaction.atomic():
        listed = list(QuickComment.objects.select_for_update().filter(clinic_id=quick.clinic_id))
        index = next(i for i, row in enumerate(listed) if row.pk == quick.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(listed):
            return
        listed[index], listed[other] = listed[other], listed[index]
        # The whole list is numbered again from 0, so positions stay distinct after removals.
        for number, row in enumerate(listed):
            _set_position(actor, row, number, request)


def _set_position(
    actor: User, quick: QuickComment, position: int, request: HttpRequest | None
) -> None:
    before = quick.position
    if before == position:
        return
    quick.position = position
    quick.save(update_fields=["position"])
    record_change(
        actor=actor,
        object_type=QUICK_COMMENT,
        object_id=quick.pk,
        before={"position": before},
        after={"position": position},
        request=request,
    )
