"""The front desk's answer to an address change a patient sent from My details.

Accepting copies the address onto the patient's record; declining keeps the one on file and
leaves a note the patient reads on My details. Only active staff of the patient's clinic whose
role holds `billing.review_insurance` (the front desk and clinic administrators, who already
check the other changes patients send from check-in) may answer.

Audit rule: "details_change" updated and, on acceptance, "patient" updated with the address
before and after, in one transaction, acting as staff. Privacy rule: no e-mail is sent.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.audit.services import record_change
from carebridge.clinic.models import StaffMember
from carebridge.patients.models import DetailsChange, DetailsChangeStatus, Patient
from carebridge.patients.services.details import Address

if TYPE_CHECKING:
    from carebridge.core.actor import Actor

REVIEW_PERMISSION = "billing.review_insurance"


def check_reviewer(actor: Actor, clinic_id: int) -> None:
    """PermissionDenied unless the actor is active staff of the clinic who reviews changes."""
    user = actor.user
    if user is None or not user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied
    if not StaffMember.objects.filter(user=user, is_active=True, clinic_id=clinic_id).exists():
        raise PermissionDenied


def _lock_pending(change: DetailsChange) -> DetailsChange:
    locked = DetailsChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != DetailsChangeStatus.PENDING:
        raise ValidationError(_("This change has already been reviewed."), code="reviewed")
    return locked


def _mark_reviewed(actor: Actor, change: DetailsChange, status: str, note: str = "") -> None:
    before = {"status": change.status, "review_note": change.review_note}
    change.status, change.review_note = status, note
    change.reviewed_by, change.reviewed_at = actor.user, actor.now
    change.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    record_change(
        actor=actor.user,
        object_type="details_change",
        object_id=change.pk,
        before=before,
        after={"status": status, "review_note": note},
        request=actor.request,
        patient=change.patient,
        acting_as="staff",
    )


def accept_details_change(*, actor: Actor, change: DetailsChange) -> DetailsChange:
    """Accept a waiting address change: the patient's record takes the new address."""
    check_reviewer(actor, change.clinic_id)
    with transaction.atomic():
        locked = _lock_pending(change)
        patient = Patient.objects.select_for_update().get(pk=locked.patient_id)
        before, after = Address.of(patient), Address.of(locked)
        for name, value in asdict(after).items():
            setattr(patient, name, value)
        patient.save(update_fields=[*asdict(after), "updated_at"])
        locked.patient = patient
        record_change(
            actor=actor.user,
            object_type="patient",
            object_id=patient.pk,
            before=asdict(before),
            after=asdict(after),
            request=actor.request,
            patient=patient,
            acting_as="staff",
        )
        _mark_reviewed(actor, locked, DetailsChangeStatus.ACCEPTED)
    return locked


def decline_details_change(*, actor: Actor, change: DetailsChange, note: str) -> DetailsChange:
    """Decline a waiting address change with a note the patient reads (required)."""
    check_reviewer(actor, change.clinic_id)
    note = note.strip()
    if not note:
        raise ValidationError(_("Write a note for the patient saying why."), code="no_note")
    with transaction.atomic():
        locked = _lock_pending(change)
        _mark_reviewed(actor, locked, DetailsChangeStatus.DECLINED, note[:255])
    return locked
