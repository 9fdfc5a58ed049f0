"""Asking the clinic for a kind of visit that cannot be booked online.

Audit rule: sending a request records a "create" event ("appointment_request", by id) in the
same transaction, saying who sent it and as whom. Privacy rule: the reason and the preferred
times are health information, kept for the clinic; they are never e-mailed or logged. The e-mail
that confirms a request says only that it arrived.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services import send_after_commit
from carebridge.scheduling.models import AppointmentRequest, VisitType
from carebridge.scheduling.services.booking import (
    check_may_act,
    check_online_booking,
    sign_in_link,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient


def check_needs_request(visit_type: VisitType, patient: Patient) -> None:
    """ValidationError unless the type is offered to the patient's clinic and cannot be booked
    online by this patient (a type they may book is booked, not requested)."""
    if not visit_type.is_active or visit_type.clinic_id != patient.clinic_id:
        raise ValidationError(_("This kind of visit is not offered."), code="not_offered")
    try:
        check_online_booking(visit_type, patient, "self")
    except ValidationError:
        return
    raise ValidationError(
        _("This kind of visit can be booked online. Please book it instead."),
        code="bookable_online",
    )


def request_appointment(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    visit_type: VisitType,
    reason: str,
    preferences: str,
    request: HttpRequest | None = None,
) -> AppointmentRequest:
    """Send the clinic a request for a visit type that cannot be booked online, as the patient
    or a caregiver or parent with the appointments scope. Audited in the same transaction."""
    check_may_act(actor, acting_as, patient)
    check_needs_request(visit_type, patient)
    with transaction.atomic():
        sent = AppointmentRequest.objects.create(
            patient=patient,
            visit_type=visit_type,
            reason=reason,
            preferences=preferences,
            created_by=actor,
            booked_as=acting_as,
        )
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="appointment_request",
            object_id=sent.pk,
            patient=patient,
            acting_as=acting_as,
            request=request,
        )
        email_request_received(patient)
    return sent


def email_request_received(patient: Patient) -> None:
    """Tell the patient (a notice in the outbox, sent after commit) that the request arrived;
    never what it is for."""
    address = patient.notice_address
    if not address:
        return
    lines = [
        _(
            "The clinic has your appointment request. Staff will answer it, and you will "
            "get an e-mail when they do."
        ),
        _("Sign in to see its status:"),
        sign_in_link(),
    ]
    subject = _("[Carebridge] We have your appointment request")
    send_after_commit(address, subject, lines, kind=NoticeKind.APPOINTMENT, clinic=patient.clinic)
