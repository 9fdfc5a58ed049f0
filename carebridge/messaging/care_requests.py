"""Requests made from the record: a prescription refill, a referral, a copy of records.

The patient (or a caregiver or parent with the messaging scope) asks; the clinic's staff look at
it and approve or decline it with a note; the patient follows its status. Audit: asking and
answering are recorded ("care_request", by id) in the same transaction. Privacy rule: the
e-mail after an answer says only that there is one; never the medicine, the specialty, the
records or the note.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import StaffMember, StaffRole
from carebridge.messaging.models import CareRequest, CareRequestStatus, RequestKind, WrittenAs
from carebridge.messaging.services import check_may_write
from carebridge.notifications.services import notify_new_message

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

OBJECT_TYPE = "care_request"
NOTE_MAX_LENGTH = 2000
# Who may answer each kind: medicines and referrals are clinical decisions; a copy of records
# may also be sent by the front desk and the clinic's administrators.
ANSWERED_BY: dict[str, tuple[str, ...]] = {
    RequestKind.REFILL: (StaffRole.CLINICIAN, StaffRole.NURSE),
    RequestKind.REFERRAL: (StaffRole.CLINICIAN, StaffRole.NURSE),
    RequestKind.RECORDS: (
        StaffRole.CLINICIAN,
        StaffRole.NURSE,
        StaffRole.FRONT_DESK,
        StaffRole.CLINIC_ADMIN,
    ),
    # Cancelling or moving an appointment booked in the clinic's own system is front-desk work.
    RequestKind.VISIT: (StaffRole.FRONT_DESK, StaffRole.CLINIC_ADMIN, StaffRole.NURSE),
}
OPEN_STATUSES = (CareRequestStatus.SUBMITTED, CareRequestStatus.IN_REVIEW)


def text(details: dict[str, Any], key: str) -> str:
    value = details.get(key, "")
    return value.strip()[:NOTE_MAX_LENGTH] if isinstance(value, str) else ""


def clean_details(kind: str, details: dict[str, Any]) -> dict[str, Any]:
    """What each kind needs, trimmed; ValidationError with a plain message when it is missing."""
    if kind == RequestKind.REFILL:
        medicines = [m.strip() for m in details.get("medicines", []) if isinstance(m, str)]
        medicines = [m for m in medicines if m]
        if not medicines:
            raise ValidationError(_("Choose at least one medicine to refill."), code="medicines")
        pharmacy = text(details, "pharmacy")
        if not pharmacy:
            raise ValidationError(_("Say which pharmacy should get it."), code="pharmacy")
        return {"medicines": medicines, "pharmacy": pharmacy, "note": text(details, "note")}
    if kind == RequestKind.REFERRAL:
        to = text(details, "specialty")
        if not to:
            raise ValidationError(_("Say what kind of specialist you need."), code="specialty")
        return {"specialty": to, "reason": text(details, "reason"), "note": text(details, "note")}
    if kind == RequestKind.RECORDS:
        wanted = text(details, "records")
        if not wanted:
            raise ValidationError(_("Say which records you need."), code="records")
        return {
            "records": wanted,
            "send_to": text(details, "send_to"),
            "note": text(details, "note"),
        }
    raise ValidationError(_("Choose what you are asking for."), code="kind")


def submit_request(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    kind: str,
    details: dict[str, Any],
    request: HttpRequest | None = None,
) -> CareRequest:
    """Ask the clinic for a refill, a referral or a copy of records, as the patient or a
    caregiver or parent with the messaging scope. Audited in the same transaction."""
    check_may_write(actor, acting_as, patient)
    cleaned = clean_details(kind, details)
    with transaction.atomic():
        asked = CareRequest.objects.create(
            patient=patient,
            kind=kind,
            details=cleaned,
            created_by=actor,
            created_as=acting_as,
        )
        audit(actor, AuditAction.CREATE, asked, acting_as, request)
    return asked


def check_may_answer(actor: User, care_request: CareRequest) -> None:
    roles = ANSWERED_BY[care_request.kind]
    staff = StaffMember.objects.filter(
        user=actor, is_active=True, clinic_id=care_request.patient.clinic_id, role__in=roles
    )
    if not staff.exists():
        raise PermissionDenied


def start_review(
    *, actor: User, care_request: CareRequest, request: HttpRequest | None = None
) -> CareRequest:
    """A member of staff is looking at it: the patient sees "Being looked at"."""
    check_may_answer(actor, care_request)
    with transaction.atomic():
        locked = CareRequest.objects.select_for_update(of=("self",)).get(pk=care_request.pk)
        if locked.status != CareRequestStatus.SUBMITTED:
            return locked
        locked.status = CareRequestStatus.IN_REVIEW
        locked.save(update_fields=["status"])
        audit(actor, AuditAction.UPDATE, locked, WrittenAs.STAFF, request)
    return locked


def answer_request(
    *,
    actor: User,
    care_request: CareRequest,
    approve: bool,
    note: str,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> CareRequest:
    """Approve or decline, with a note the patient reads (required when declining). Answered
    once: a second answer is refused. The patient is e-mailed that there is an answer."""
    check_may_answer(actor, care_request)
    note = note.strip()[:NOTE_MAX_LENGTH]
    if not approve and not note:
        raise ValidationError(
            _("Say why the request is not approved: the patient reads this."), code="note"
        )
    with transaction.atomic():
        locked = CareRequest.objects.select_for_update(of=("self",)).get(pk=care_request.pk)
        if locked.status == CareRequestStatus.WITHDRAWN:
            raise ValidationError(
                _("The patient has withdrawn this request: there is nothing to answer."),
                code="withdrawn",
            )
        if locked.status not in OPEN_STATUSES:
            raise ValidationError(_("This request has already been answered."), code="answered")
        locked.status = CareRequestStatus.APPROVED if approve else CareRequestStatus.DENIED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, now, note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit(actor, AuditAction.UPDATE, locked, WrittenAs.STAFF, request)
        patient = locked.patient
        users = [patient.user] if patient.user is not None else []
        notify_new_message(
            users=users,
            addresses=[] if users or not patient.email else [patient.email],
            subject=gettext_lazy("[Carebridge] There is an answer to your request"),
            sentence=gettext_lazy("The clinic has answered a request you sent."),
            now=now,
        )
    return locked


def withdraw_request(
    *,
    actor: User,
    acting_as: str,
    care_request: CareRequest,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> CareRequest:
    """The patient (or a caregiver or parent with the messaging scope) no longer needs it:
    possible until the clinic answers, after which it is refused. The clinic's queue drops it;
    who withdrew it and when are kept. Audited; nobody is e-mailed."""
    check_may_write(actor, acting_as, care_request.patient, care_request.created_as)
    with transaction.atomic():
        locked = CareRequest.objects.select_for_update(of=("self",)).get(pk=care_request.pk)
        if locked.status not in OPEN_STATUSES:
            raise ValidationError(
                _("This request has already been answered or withdrawn."), code="closed"
            )
        locked.status = CareRequestStatus.WITHDRAWN
        locked.decided_by, locked.decided_at = actor, now
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        audit(actor, AuditAction.UPDATE, locked, acting_as, request)
    return locked


def audit(
    actor: User,
    action: AuditAction,
    care_request: CareRequest,
    acting_as: str,
    request: HttpRequest | None,
) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=care_request.pk,
        patient=care_request.patient,
        acting_as=acting_as,
        request=request,
    )
