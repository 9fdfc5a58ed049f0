"""The waiting list: "tell me if an earlier time opens".

A patient joins for a kind of visit (with anyone, or a chosen clinician or place), either for a
new booking or to move a booked appointment earlier. Freed times are offered to the list by
`waitlist_offers`; here the patient (or a caregiver or parent with the appointments scope)
joins, leaves, accepts an offer (the first to accept gets the time) or says no; and
`expire_offers` ends offers past their time, so that an unanswered offer passes the time down
the list.

Audit rule: joining, leaving and each answer record an event ("waitlist_entry" or
"waitlist_offer", by id) inside the same transaction.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.clinic.models import Location, Practitioner
from carebridge.patients.models import Patient
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    OfferStatus,
    VisitType,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from carebridge.scheduling.services.booking import (
    SlotTakenError,
    book_appointment,
    check_may_act,
    check_online_booking,
    is_taken,
)
from carebridge.scheduling.services.rescheduling import reschedule_appointment
from carebridge.scheduling.services.waitlist_offers import (
    audit_waitlist,
    freed_time_of,
    offer_time,
    pass_on_after_commit,
    withdraw_open_offers,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User


def taken_message() -> str:
    return _("Someone else accepted this time first. You are still on the waiting list.")


def check_type_offered(
    visit_type: VisitType,
    practitioner: Practitioner | None,
    location: Location | None,
    patient: Patient,
) -> None:
    """ValidationError unless the type is offered at the patient's clinic, and, when chosen,
    by this practitioner and at this place."""
    if not visit_type.is_active or visit_type.clinic_id != patient.clinic_id:
        raise ValidationError(_("This kind of visit is not offered."), code="not_offered")
    if practitioner is not None and not visit_type.practitioners.filter(pk=practitioner.pk):
        raise ValidationError(
            _("This clinician does not offer this kind of visit. Please choose another."),
            code="not_offered",
        )
    if location is not None and not visit_type.locations.filter(pk=location.pk):
        raise ValidationError(
            _("This kind of visit is not offered at this place. Please choose another."),
            code="not_offered",
        )


def check_appointment_to_move(
    appointment: Appointment, patient: Patient, visit_type: VisitType
) -> None:
    """ValidationError unless the appointment is the patient's, booked, still to come, and of
    this kind of visit."""
    is_movable = (
        appointment.patient_id == patient.pk
        and appointment.status == AppointmentStatus.BOOKED
        and appointment.starts_at > timezone.now()
    )
    if not is_movable:
        raise ValidationError(
            _("This appointment cannot be moved to an earlier time."), code="not_movable"
        )
    if appointment.visit_type_id != visit_type.pk:
        raise ValidationError(
            _("Choose the same kind of visit as the appointment."), code="not_same_type"
        )


def join_waitlist(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    visit_type: VisitType,
    practitioner: Practitioner | None = None,
    location: Location | None = None,
    appointment: Appointment | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> WaitlistEntry:
    """Put the patient on the waiting list for a kind of visit they may book online, as the
    patient or a caregiver or parent with the appointments scope (or staff). With
    `appointment`, an accepted offer moves it earlier; without, it books a new one with
    `reason` (health information: kept for the clinic, never e-mailed).

    One waiting entry per patient, kind of visit and appointment: joining again raises a
    ValidationError ("already_waiting"). Audit: a "create" event in the same transaction.
    """
    check_may_act(actor, acting_as, patient)
    check_type_offered(visit_type, practitioner, location, patient)
    check_online_booking(visit_type, patient, acting_as)
    if appointment is not None:
        check_appointment_to_move(appointment, patient, visit_type)
    with transaction.atomic():
        # One join at a time per patient, so that two joins at once cannot both be added.
        Patient.objects.select_for_update().filter(pk=patient.pk).get()
        waiting = WaitlistEntry.objects.waiting().for_patient(patient)
        if waiting.filter(visit_type=visit_type, appointment=appointment).exists():
            raise ValidationError(
                _("You are already on the waiting list for this."), code="already_waiting"
            )
        entry = WaitlistEntry.objects.create(
            patient=patient,
            visit_type=visit_type,
            practitioner=practitioner,
            location=location,
            appointment=appointment,
            reason="" if appointment is not None else reason,
            created_by=actor,
            booked_as=acting_as,
        )
        audit_waitlist(
            actor=actor,
            action=AuditAction.CREATE,
            row=entry,
            patient=patient,
            acting_as=acting_as,
            request=request,
        )
    return entry


def leave_waitlist(
    *,
    actor: User,
    acting_as: str,
    entry: WaitlistEntry,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> WaitlistEntry:
    """Take the patient off the waiting list (as whoever may act for them); open offers of the
    entry are withdrawn and their times pass to the next entries after commit. Audit: an
    "update" event in the same transaction."""
    check_may_act(actor, acting_as, entry.patient)
    with transaction.atomic():
        locked = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.status != WaitlistStatus.WAITING:
            raise ValidationError(_("You are no longer on this waiting list."), code="not_waiting")
        locked.status, locked.ended_at = WaitlistStatus.LEFT, now
        locked.save(update_fields=["status", "ended_at"])
        # Audited before the offers are touched: an answer that holds the audit trail's lock
        # may be waiting for them.
        audit_waitlist(
            actor=actor,
            action=AuditAction.UPDATE,
            row=locked,
            patient=entry.patient,
            acting_as=acting_as,
            request=request,
        )
        pass_on_after_commit(withdraw_open_offers(locked, now))
    return locked


def refusal_of(offer: WaitlistOffer, now: datetime.datetime) -> str:
    """Why the offer cannot be accepted now ('' when it can). An offer past its time is marked
    expired (its time passes on after commit) and one whose time is booked is marked taken."""
    closed = {
        OfferStatus.TAKEN: taken_message(),
        OfferStatus.EXPIRED: _("This offer has ended. You are still on the waiting list."),
        OfferStatus.DECLINED: _("This offer is closed."),
        OfferStatus.ACCEPTED: _("You have already accepted this time."),
    }
    if offer.status != OfferStatus.OPEN:
        return str(closed[OfferStatus(offer.status)])
    if now >= offer.expires_at:
        close_offer(offer, OfferStatus.EXPIRED, None)
        pass_on_after_commit([freed_time_of(offer)])
        return str(closed[OfferStatus.EXPIRED])
    if is_taken(offer.practitioner, offer.starts_at, offer.entry.visit_type):
        close_offer(offer, OfferStatus.TAKEN, None)
        return taken_message()
    return ""


def close_offer(
    offer: WaitlistOffer, status: OfferStatus, answered_at: datetime.datetime | None
) -> None:
    offer.status, offer.answered_at = status, answered_at
    offer.save(update_fields=["status", "answered_at"])


def lock_offer(offer: WaitlistOffer) -> WaitlistOffer:
    """Lock the practitioner's row, then the entry's, then the offer's, in that order (booking
    and offering lock the practitioner first too), so that answers to offers of one time happen
    one after the other and never wait on each other crosswise."""
    Practitioner.objects.select_for_update(of=("self",)).filter(pk=offer.practitioner_id).get()
    WaitlistEntry.objects.select_for_update().filter(pk=offer.entry_id).get()
    related = ("entry__visit_type__clinic", "entry__patient", "entry__appointment")
    rows = WaitlistOffer.objects.select_for_update(of=("self",)).select_related(*related)
    return rows.select_related("practitioner", "location").get(pk=offer.pk)


def take_time(
    offer: WaitlistOffer, actor: User, acting_as: str, request: HttpRequest | None
) -> Appointment:
    """Book the offered time for the entry, or move the entry's appointment to it; the
    booking services check, lock, audit and e-mail as for any booking."""
    entry = offer.entry
    if entry.appointment is not None:
        return reschedule_appointment(
            actor=actor,
            acting_as=acting_as,
            appointment=entry.appointment,
            starts_at=offer.starts_at,
            practitioner=offer.practitioner,
            location=offer.location,
            request=request,
        )
    return book_appointment(
        actor=actor,
        acting_as=acting_as,
        patient=entry.patient,
        visit_type=entry.visit_type,
        practitioner=offer.practitioner,
        location=offer.location,
        starts_at=offer.starts_at,
        reason=entry.reason,
        request=request,
    )


def finish_accepted(offer: WaitlistOffer, appointment: Appointment, now: datetime.datetime) -> None:
    """The offer accepted, its entry booked; others' open offers of the time are taken, and
    the entry's open offers of other times are withdrawn (those times pass on after commit)."""
    offer.appointment = appointment
    offer.status, offer.answered_at = OfferStatus.ACCEPTED, now
    offer.save(update_fields=["status", "answered_at", "appointment"])
    entry = offer.entry
    entry.status, entry.ended_at = WaitlistStatus.BOOKED, now
    entry.save(update_fields=["status", "ended_at"])
    WaitlistOffer.objects.filter(
        practitioner=offer.practitioner, starts_at=offer.starts_at, status=OfferStatus.OPEN
    ).update(status=OfferStatus.TAKEN)
    pass_on_after_commit(withdraw_open_offers(entry, now))


def accept_offer(
    *,
    actor: User,
    acting_as: str,
    offer: WaitlistOffer,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> Appointment:
    """Accept an offered time, as the patient or a caregiver or parent with the appointments
    scope: the first to accept gets it. Books it (or moves the entry's appointment to it) in
    one transaction with the offer accepted and the entry booked; returns the appointment.

    ValidationError, with the reason in plain words, when the offer is closed, has expired
    (marked expired) or its time was booked first (marked taken; the entry keeps waiting).
    Audit: "update" events of the offer and the entry, besides the booking's own.
    """
    check_may_act(actor, acting_as, offer.entry.patient)
    with transaction.atomic():
        locked = lock_offer(offer)
        refusal = refusal_of(locked, now)
        if not refusal:
            try:
                appointment = take_time(locked, actor, acting_as, request)
            except SlotTakenError:
                close_offer(locked, OfferStatus.TAKEN, None)
                refusal = taken_message()
            else:
                finish_accepted(locked, appointment, now)
                for row in (locked, locked.entry):
                    audit_waitlist(
                        actor=actor,
                        action=AuditAction.UPDATE,
                        row=row,
                        patient=locked.entry.patient,
                        acting_as=acting_as,
                        request=request,
                    )
    if refusal:
        raise ValidationError(refusal, code="not_open")
    return appointment


def decline_offer(
    *,
    actor: User,
    acting_as: str,
    offer: WaitlistOffer,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> WaitlistOffer:
    """Say no to an offered time; the entry keeps waiting. When no open offer of the time is
    left, it is offered to the next entries after commit. Audit: an "update" event."""
    check_may_act(actor, acting_as, offer.entry.patient)
    with transaction.atomic():
        locked = lock_offer(offer)
        if locked.status != OfferStatus.OPEN:
            raise ValidationError(_("This offer is closed."), code="not_open")
        close_offer(locked, OfferStatus.DECLINED, now)
        pass_on_after_commit([freed_time_of(locked)])
        audit_waitlist(
            actor=actor,
            action=AuditAction.UPDATE,
            row=locked,
            patient=locked.entry.patient,
            acting_as=acting_as,
            request=request,
        )
    return locked


def expire_offers(*, now: datetime.datetime) -> int:
    """Mark open offers past their end as expired, then offer each of their times, when no
    open offer of it is left and it is still free, to the next entries in order. Safe to run
    twice. Returns how many offers expired."""
    with transaction.atomic():
        # Offers being answered right now are left for the next run.
        due = WaitlistOffer.objects.select_for_update(of=("self",), skip_locked=True).filter(
            status=OfferStatus.OPEN, expires_at__lte=now
        )
        rows = list(due.select_related("entry__visit_type__clinic", "practitioner", "location"))
        WaitlistOffer.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=OfferStatus.EXPIRED
        )
    for time in dict.fromkeys(freed_time_of(row) for row in rows):
        offer_time(time)
    return len(rows)
