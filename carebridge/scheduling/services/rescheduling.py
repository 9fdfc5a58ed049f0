"""Moving an appointment to another time: book the new time and cancel the old one, together.

Kept apart from `services.py` (booking and cancelling) so that each module stays short; it
uses the same checks, the same lock and the same audit as booking.

Audit rule: a "create" event for the new appointment and an "update" event for the old one, in
the same transaction. An online check-in already done for the old appointment moves to the new
one in that transaction too, audited as an "update" of the check-in (the new appointment's id).
Privacy rule: one e-mail (after commit) with the new date and time only.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Location, Practitioner
from carebridge.scheduling.models import Appointment, AppointmentStatus, CheckIn
from carebridge.scheduling.services.booking import (
    SlotTakenError,
    audit_appointment,
    check_may_act,
    check_may_cancel,
    check_offered,
    check_online_booking,
    create_if_free,
    email_patient,
    next_slots,
)
from carebridge.scheduling.services.waitlist_offers import queue_offer_freed_time

if TYPE_CHECKING:
    from carebridge.accounts.models import User

RESCHEDULED = "Rescheduled"
CHECK_IN_OBJECT = "check_in"


def cancel_as_rescheduled(
    appointment: Appointment, actor: User, acting_as: str, now: datetime.datetime
) -> Appointment:
    """Lock the old appointment, check again that it may still be cancelled, and cancel it,
    which frees its time for the new booking in the same transaction."""
    locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
    check_may_cancel(locked, acting_as, now, moving=True)
    locked.status = AppointmentStatus.CANCELLED
    locked.cancelled_at, locked.cancelled_by, locked.cancel_reason = now, actor, RESCHEDULED
    locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
    return locked


def reschedule_appointment(
    *,
    actor: User,
    acting_as: str,
    appointment: Appointment,
    starts_at: datetime.datetime,
    practitioner: Practitioner,
    location: Location,
    request: HttpRequest | None = None,
) -> Appointment:
    """Move an appointment to a new time of the same kind of visit, as the patient or a
    caregiver or parent with the appointments scope (or staff), only while it may still be
    cancelled (the cancellation window).

    In one transaction: the old appointment is cancelled with the reason "Rescheduled" and the
    new time is booked with booking's checks and lock; when the new time was just taken,
    `SlotTakenError` (with the next times) rolls both back, so the old appointment stands.
    Returns the new appointment, which keeps the reason for the visit.
    """
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime.")
    now = timezone.now()
    patient, visit_type = appointment.patient, appointment.visit_type
    check_may_act(actor, acting_as, patient)
    check_may_cancel(appointment, acting_as, now, moving=True)
    check_offered(visit_type, practitioner, location, patient)
    check_online_booking(visit_type, patient, acting_as)
    starts_at = starts_at.astimezone(datetime.UTC)
    try:
        with transaction.atomic():
            old = cancel_as_rescheduled(appointment, actor, acting_as, now)
            new = create_if_free(
                actor=actor,
                acting_as=acting_as,
                patient=patient,
                visit_type=visit_type,
                practitioner=practitioner,
                location=location,
                starts_at=starts_at,
                reason=appointment.reason,
            )
            for action, row in ((AuditAction.CREATE, new), (AuditAction.UPDATE, old)):
                audit_appointment(
                    actor=actor,
                    action=action,
                    appointment=row,
                    acting_as=acting_as,
                    request=request,
                )
            carry_check_in(old, new, actor=actor, acting_as=acting_as, request=request)
            email_patient(
                new,
                gettext_lazy("[Carebridge] An appointment was moved"),
                gettext_lazy("Your appointment has been moved to %(date)s at %(time)s."),
            )
            # The old time is free now: offer it to the waiting list after commit.
            queue_offer_freed_time(old)
    except IntegrityError:
        raise SlotTakenError(next_slots(visit_type, practitioner, starts_at)) from None
    return new


def carry_check_in(
    old: Appointment,
    new: Appointment,
    *,
    actor: User,
    acting_as: str,
    request: HttpRequest | None,
) -> None:
    """Move the old appointment's online check-in (if any) to the new one, so the patient does
    not answer again; audited as an "update" of the check-in. Call inside the move's transaction."""
    # The check-in's primary key is its appointment, so the row is re-keyed in place.
    if not CheckIn.objects.filter(appointment=old).update(appointment=new):
        return
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=CHECK_IN_OBJECT,
        object_id=new.pk,
        patient=new.patient,
        acting_as=acting_as,
        request=request,
    )
