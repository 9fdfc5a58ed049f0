"""Booking and cancelling appointments.

Audit rule: every booking and cancellation records an event ("appointment", by id) inside the
same transaction, saying who acted and as whom (the patient, a caregiver or parent, staff).
Privacy rule: the e-mails sent after commit say only that there is an appointment and when; never
the reason, the kind of visit, the clinician or the place. Sign in to see the details.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.accounts.languages import in_language_of_address
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Location, Practitioner, StaffMember
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services import send_after_commit, sign_in_link
from carebridge.proxies.resolution import resolve_acting_context
from carebridge.records.models import ClinicalResource
from carebridge.scheduling.availability import Slot, available_slots
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    BookedAs,
    OnlineBooking,
    VisitType,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

# How many other times a refusal offers when the chosen one was just taken.
NEXT_SLOTS_OFFERED = 3
# A booked or requested appointment may be cancelled; one that has happened may not.
CANCELLABLE_STATUSES = (AppointmentStatus.REQUESTED, AppointmentStatus.BOOKED)
# The proxy scope that lets a caregiver or parent book and cancel (see `proxies.models`).
APPOINTMENTS_SCOPE = "appointments"


class SlotTakenError(ValidationError):
    """The chosen time was booked by someone else first; `next_slots` are times to offer."""

    def __init__(self, next_slots: list[Slot]) -> None:
        super().__init__(
            _("That time was just taken. Here are the next times available."), code="slot_taken"
        )
        self.next_slots = next_slots


def check_may_act(actor: User, acting_as: str, patient: Patient) -> None:
    """PermissionDenied unless the actor is the patient, a caregiver or parent whose access
    includes appointments today, or active staff of the patient's clinic, as `acting_as` says.
    Only the proxies app decides who may act for whom, so a proxy is checked through it."""
    if acting_as == BookedAs.SELF:
        allowed = patient.user_id is not None and patient.user_id == actor.pk
    elif acting_as == BookedAs.PROXY:
        acting = resolve_acting_context(actor, str(patient.pk))
        allowed = acting.is_proxy and acting.may(APPOINTMENTS_SCOPE)
    elif acting_as == BookedAs.STAFF:
        staff = StaffMember.objects.filter(user=actor, is_active=True, clinic_id=patient.clinic_id)
        allowed = staff.exists()
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied


def is_established(patient: Patient) -> bool:
    """Seen before: a completed appointment here, or any visit (Encounter) in their record."""
    if Appointment.objects.for_patient(patient).completed().exists():
        return True
    return ClinicalResource.objects.for_patient(patient.pk).of_type("Encounter").exists()


def check_offered(
    visit_type: VisitType, practitioner: Practitioner, location: Location, patient: Patient
) -> None:
    """ValidationError unless the type is offered, by this practitioner, at this place."""
    if not visit_type.is_active or visit_type.clinic_id != patient.clinic_id:
        raise ValidationError(_("This kind of visit is not offered."), code="not_offered")
    if not visit_type.practitioners.filter(pk=practitioner.pk).exists():
        raise ValidationError(
            _("This clinician does not offer this kind of visit. Please choose another."),
            code="not_offered",
        )
    if not visit_type.locations.filter(pk=location.pk).exists():
        raise ValidationError(
            _("This kind of visit is not offered at this place. Please choose another."),
            code="not_offered",
        )


def check_online_booking(visit_type: VisitType, patient: Patient, acting_as: str) -> None:
    """ValidationError when the patient may not book this type online; staff may book any."""
    if acting_as == BookedAs.STAFF:
        return
    if visit_type.online_booking == OnlineBooking.NOBODY:
        raise ValidationError(
            _("This kind of visit cannot be booked online. Please send a request instead."),
            code="request_only",
        )
    if visit_type.online_booking == OnlineBooking.ESTABLISHED and not is_established(patient):
        raise ValidationError(
            _(
                "This kind of visit is for patients the clinic has seen before. "
                "Please choose a visit for new patients, or call the clinic."
            ),
            code="established_only",
        )


def clinic_zone(visit_type: VisitType) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(visit_type.clinic.time_zone)


def slots_for_day(
    visit_type: VisitType, practitioner: Practitioner, starts_at: datetime.datetime
) -> list[Slot]:
    """All of the practitioner's free times for the type on the local day of `starts_at`."""
    day = starts_at.astimezone(clinic_zone(visit_type)).date()
    return available_slots(
        visit_type,
        now=timezone.now(),
        date_from=day,
        days=1,
        practitioner=practitioner,
        limit=None,
    )


def next_slots(
    visit_type: VisitType, practitioner: Practitioner, after: datetime.datetime
) -> list[Slot]:
    """The practitioner's next free times for the type, starting after `after`."""
    now = timezone.now()
    zone = clinic_zone(visit_type)
    first_day = max(after, now).astimezone(zone).date()
    last_day = (now + datetime.timedelta(days=visit_type.max_lead_days)).astimezone(zone).date()
    slots = available_slots(
        visit_type,
        now=now,
        date_from=first_day,
        days=(last_day - first_day).days + 1,
        practitioner=practitioner,
        limit=None,
    )
    return [slot for slot in slots if slot.starts_at > after][:NEXT_SLOTS_OFFERED]


def is_taken(
    practitioner: Practitioner, starts_at: datetime.datetime, visit_type: VisitType
) -> bool:
    """Whether an active appointment of the practitioner overlaps the visit at this time."""
    booked = Appointment.objects.active().filter(practitioner=practitioner)
    return booked.overlapping(starts_at, starts_at + visit_type.duration).exists()


def check_slot_free(
    visit_type: VisitType,
    practitioner: Practitioner,
    location: Location,
    starts_at: datetime.datetime,
) -> None:
    """SlotTakenError when another booking holds the time; ValidationError when the time is not
    one that can be booked at all (outside hours, time off, too soon or too far ahead)."""
    slots = slots_for_day(visit_type, practitioner, starts_at)
    if any(s.starts_at == starts_at and s.location.pk == location.pk for s in slots):
        return
    if is_taken(practitioner, starts_at, visit_type):
        raise SlotTakenError(next_slots(visit_type, practitioner, starts_at))
    raise ValidationError(
        _("That time cannot be booked. Please choose one of the times shown."),
        code="not_available",
    )


def when_words(appointment: Appointment) -> dict[str, str]:
    """The appointment's date and time in the clinic's time zone, as words."""
    local = appointment.starts_at.astimezone(clinic_zone(appointment.visit_type))
    return {
        "date": formats.date_format(local, "WEEKDAY_DATE_FORMAT"),
        "time": f"{formats.time_format(local, 'TIME_FORMAT')} {local.tzname()}",
    }


def email_patient(
    appointment: Appointment, subject: str | Promise, sentence: str | Promise
) -> None:
    """Write one e-mail to the patient to the outbox (sent after commit), in the patient's
    language: pass `subject` and `sentence` lazy (gettext_lazy); `sentence` gets the
    appointment's %(date)s and %(time)s. Privacy rule: `sentence` holds the date and time only;
    the e-mail never names the reason, the kind of visit, the clinician or the place."""
    address = appointment.patient.notice_address
    if not address:
        return
    with in_language_of_address(address):
        send_after_commit(
            address,
            str(subject),
            [
                str(sentence) % when_words(appointment),
                _("Sign in to see the details:"),
                sign_in_link(),
            ],
            kind=NoticeKind.APPOINTMENT,
            clinic=appointment.patient.clinic,
        )


def audit_appointment(
    *,
    actor: User,
    action: AuditAction,
    appointment: Appointment,
    acting_as: str,
    request: HttpRequest | None,
) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type="appointment",
        object_id=appointment.pk,
        patient=appointment.patient,
        acting_as=acting_as,
        request=request,
    )


def create_if_free(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    visit_type: VisitType,
    practitioner: Practitioner,
    location: Location,
    starts_at: datetime.datetime,
    reason: str,
) -> Appointment:
    """Lock the practitioner's row so that bookings of their time happen one at a time, re-check
    the time, then create. The lock names only the practitioner's table: PostgreSQL refuses
    FOR UPDATE on the nullable side of an outer join."""
    Practitioner.objects.select_for_update(of=("self",)).filter(pk=practitioner.pk).get()
    check_slot_free(visit_type, practitioner, location, starts_at)
    return Appointment.objects.create(
        patient=patient,
        practitioner=practitioner,
        location=location,
        visit_type=visit_type,
        starts_at=starts_at,
        ends_at=starts_at + visit_type.duration,
        status=AppointmentStatus.BOOKED,
        reason=reason,
        booked_by=actor,
        booked_as=acting_as,
    )


def book_appointment(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    visit_type: VisitType,
    practitioner: Practitioner,
    location: Location,
    starts_at: datetime.datetime,
    reason: str,
    request: HttpRequest | None = None,
) -> Appointment:
    """Book a free time for the patient, as the patient, a caregiver or parent with the
    appointments scope, or clinic staff (who may book any visit type).

    No double booking: the practitioner's row is locked while the time is re-checked and the
    appointment created, and a unique constraint on active appointments backs this up; a lost
    race raises `SlotTakenError` with the next free times. Audit: a "create" event in the same
    transaction. The confirmation e-mail (after commit) holds no health information.
    """
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be an aware datetime.")
    check_may_act(actor, acting_as, patient)
    check_offered(visit_type, practitioner, location, patient)
    check_online_booking(visit_type, patient, acting_as)
    starts_at = starts_at.astimezone(datetime.UTC)
    try:
        with transaction.atomic():
            appointment = create_if_free(
                actor=actor,
                acting_as=acting_as,
                patient=patient,
                visit_type=visit_type,
                practitioner=practitioner,
                location=location,
                starts_at=starts_at,
                reason=reason,
            )
            audit_appointment(
                actor=actor,
                action=AuditAction.CREATE,
                appointment=appointment,
                acting_as=acting_as,
                request=request,
            )
            email_patient(
                appointment,
                gettext_lazy("[Carebridge] You have a new appointment"),
                gettext_lazy("You have a new appointment on %(date)s at %(time)s."),
            )
    except IntegrityError:
        raise SlotTakenError(next_slots(visit_type, practitioner, starts_at)) from None
    return appointment


def check_may_cancel(
    appointment: Appointment, acting_as: str, now: datetime.datetime, *, moving: bool = False
) -> None:
    """ValidationError unless the appointment is still to come, and, for patients and their
    caregivers, the cancellation window has not closed (staff may cancel at any time). The
    same window applies to moving an appointment (`moving`), and the refusal says so."""
    if appointment.status not in CANCELLABLE_STATUSES:
        if moving:
            message = _("This appointment can no longer be moved.")
        else:
            message = _("This appointment can no longer be cancelled.")
        raise ValidationError(message, code="not_cancellable")
    if acting_as == BookedAs.STAFF:
        return
    hours = appointment.visit_type.cancel_before_hours
    if now > appointment.starts_at - datetime.timedelta(hours=hours):
        words = {"hours": hours, "phone": appointment.patient.clinic.phone}
        if moving:
            message = _(
                "Appointments can be moved online until %(hours)s hours before they start. "
                "To move it now, please call the clinic on %(phone)s."
            )
        else:
            message = _(
                "Appointments can be cancelled online until %(hours)s hours before they start. "
                "To cancel now, please call the clinic on %(phone)s."
            )
        raise ValidationError(message % words, code="too_late_to_cancel")


def cancel_appointment(
    *,
    actor: User,
    acting_as: str,
    appointment: Appointment,
    reason: str,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> Appointment:
    """Cancel an appointment, as the patient or a caregiver or parent with the appointments
    scope (until the visit type's cancellation window), or staff (any time).

    Audit: an "update" event in the same transaction. The e-mail (after commit) gives only the
    date and time. The reason for cancelling is kept for the clinic and never e-mailed.
    """
    check_may_act(actor, acting_as, appointment.patient)
    with transaction.atomic():
        locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        check_may_cancel(locked, acting_as, now)
        locked.status = AppointmentStatus.CANCELLED
        locked.cancelled_at, locked.cancelled_by, locked.cancel_reason = now, actor, reason
        locked.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason"])
        audit_appointment(
            actor=actor,
            action=AuditAction.UPDATE,
            appointment=locked,
            acting_as=acting_as,
            request=request,
        )
        email_patient(
            locked,
            gettext_lazy("[Carebridge] An appointment was cancelled"),
            gettext_lazy("Your appointment on %(date)s at %(time)s has been cancelled."),
        )
        # Imported here: the waiting list books through this module.
        from carebridge.scheduling.services.waitlist_offers import queue_offer_freed_time

        queue_offer_freed_time(locked)
    return locked
