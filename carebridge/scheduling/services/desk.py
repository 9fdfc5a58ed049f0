"""The clinic desk's changes to the schedule: marking the day's visits, answering requests,
blocking time.

Only active staff of the clinic whose role holds `scheduling.manage_schedule` may call these.
Audit rule: every change records an event in the same transaction ("appointment",
"appointment_request" or "time_off", by id), acting as staff. Privacy rule: the e-mail that
tells a patient a request was answered says only that; the answer itself, the kind of visit and
the reason are read after signing in.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services import send_after_commit
from carebridge.scheduling.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    BookedAs,
    RequestStatus,
    TimeOff,
    TimeOffKind,
)
from carebridge.scheduling.services import time_off as time_off_rules
from carebridge.scheduling.services.booking import (
    audit_appointment,
    book_appointment,
    sign_in_link,
)

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

SCHEDULE_PERMISSION = "scheduling.manage_schedule"
STAFF = BookedAs.STAFF.value

# Which statuses each desk mark may follow.
ARRIVED_FROM = (AppointmentStatus.BOOKED,)
COMPLETED_FROM = (AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED)
NO_SHOW_FROM = (AppointmentStatus.BOOKED,)


class AppointmentsInTheWayError(ValidationError):
    """Blocking this time would leave booked appointments inside it: `appointments`."""

    def __init__(self, appointments: list[Appointment]) -> None:
        super().__init__(
            _("Appointments are booked in this time. Move or cancel these first."),
            code="appointments_in_the_way",
        )
        self.appointments = appointments


def check_desk_staff(actor: User, clinic_id: int) -> None:
    """PermissionDenied unless the actor is active staff of this clinic with the schedule
    permission (views check this too; the services do not trust them to)."""
    is_staff = StaffMember.objects.filter(user=actor, is_active=True, clinic_id=clinic_id).exists()
    if not is_staff or not actor.has_perm(SCHEDULE_PERMISSION):
        raise PermissionDenied


def _locked(appointment: Appointment) -> Appointment:
    query = Appointment.objects.select_for_update(of=("self",))
    return query.select_related("patient", "visit_type__clinic").get(pk=appointment.pk)


def _check_from(appointment: Appointment, allowed: tuple[str, ...], message: str) -> None:
    if appointment.status not in allowed:
        raise ValidationError(
            message % {"status": appointment.get_status_display()}, code="wrong_status"
        )


def _save_status(
    *,
    actor: User,
    appointment: Appointment,
    status: str,
    now: datetime.datetime,
    request: HttpRequest | None,
    fields: tuple[str, ...] = (),
) -> Appointment:
    appointment.status = status
    appointment.status_changed_at, appointment.status_changed_by = now, actor
    appointment.save(update_fields=["status", "status_changed_at", "status_changed_by", *fields])
    audit_appointment(
        actor=actor,
        action=AuditAction.UPDATE,
        appointment=appointment,
        acting_as=STAFF,
        request=request,
    )
    return appointment


def mark_arrived(
    *,
    actor: User,
    appointment: Appointment,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> Appointment:
    """The patient is here: a booked appointment becomes checked in, arriving `now`.
    Audited ("appointment", update) in the same transaction."""
    check_desk_staff(actor, appointment.patient.clinic_id)
    with transaction.atomic():
        locked = _locked(appointment)
        message = _("Only a booked appointment can be marked arrived. This one is: %(status)s.")
        _check_from(locked, ARRIVED_FROM, message)
        locked.arrived_at = now
        return _save_status(
            actor=actor,
            appointment=locked,
            status=AppointmentStatus.ARRIVED,
            now=now,
            request=request,
            fields=("arrived_at",),
        )


def mark_completed(
    *,
    actor: User,
    appointment: Appointment,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> Appointment:
    """The visit took place: a booked or checked-in appointment becomes attended.
    Audited ("appointment", update) in the same transaction."""
    check_desk_staff(actor, appointment.patient.clinic_id)
    with transaction.atomic():
        locked = _locked(appointment)
        message = _(
            "Only a booked or checked-in appointment can be marked attended. This one is: "
            "%(status)s."
        )
        _check_from(locked, COMPLETED_FROM, message)
        return _save_status(
            actor=actor,
            appointment=locked,
            status=AppointmentStatus.COMPLETED,
            now=now,
            request=request,
        )


def mark_no_show(
    *,
    actor: User,
    appointment: Appointment,
    now: datetime.datetime,
    request: HttpRequest | None = None,
) -> Appointment:
    """The patient did not come: a booked appointment whose start has passed becomes missed.
    Audited ("appointment", update) in the same transaction."""
    check_desk_staff(actor, appointment.patient.clinic_id)
    with transaction.atomic():
        locked = _locked(appointment)
        message = _("Only a booked appointment can be marked missed. This one is: %(status)s.")
        _check_from(locked, NO_SHOW_FROM, message)
        if now < locked.starts_at:
            raise ValidationError(
                _("An appointment can be marked missed only once its start time has passed."),
                code="not_started",
            )
        return _save_status(
            actor=actor,
            appointment=locked,
            status=AppointmentStatus.NO_SHOW,
            now=now,
            request=request,
        )


def email_request_answered(patient: Patient) -> None:
    """Write to the outbox (sent after commit) the e-mail saying the clinic answered a request.
    Privacy rule: it names nothing (no answer, visit, reason or clinician): the patient signs in
    to read it."""
    address = patient.notice_address
    if not address:
        return
    words = gettext_lazy(
        "The clinic has answered your appointment request. Sign in to see the answer:"
    )
    subject = gettext_lazy("[Carebridge] The clinic has answered your appointment request")
    paragraphs: list[str | Promise] = [words, sign_in_link()]
    send_after_commit(
        address, subject, paragraphs, kind=NoticeKind.APPOINTMENT, clinic=patient.clinic
    )


def _locked_request(appointment_request: AppointmentRequest) -> AppointmentRequest:
    query = AppointmentRequest.objects.select_for_update(of=("self",))
    locked = query.select_related("patient", "visit_type__clinic").get(pk=appointment_request.pk)
    if locked.status != RequestStatus.REQUESTED:
        raise ValidationError(_("This request has already been answered."), code="already_answered")
    return locked


def _audit_request(
    actor: User, appointment_request: AppointmentRequest, request: HttpRequest | None
) -> None:
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="appointment_request",
        object_id=appointment_request.pk,
        patient=appointment_request.patient,
        acting_as=STAFF,
        request=request,
    )


def approve_request(
    *,
    actor: User,
    appointment_request: AppointmentRequest,
    practitioner: Practitioner,
    location: Location,
    starts_at: datetime.datetime,
    reply: str,
    request: HttpRequest | None = None,
) -> AppointmentRequest:
    """Approve a patient's request by booking its visit at a free time (as staff, with the
    patient's reason) and linking the appointment; `reply` is optional words for the patient.

    Raises what `book_appointment` raises (SlotTakenError when the time was just taken), and
    leaves the request waiting then. Audit: the booking, and an update of the request, in one
    transaction. Two e-mails after commit: the booking's, and "the clinic has answered".
    """
    check_desk_staff(actor, appointment_request.patient.clinic_id)
    with transaction.atomic():
        locked = _locked_request(appointment_request)
        locked.appointment = book_appointment(
            actor=actor,
            acting_as=STAFF,
            patient=locked.patient,
            visit_type=locked.visit_type,
            practitioner=practitioner,
            location=location,
            starts_at=starts_at,
            reason=locked.reason,
            request=request,
        )
        locked.status, locked.staff_reply = RequestStatus.APPROVED, reply.strip()
        locked.save(update_fields=["status", "staff_reply", "appointment"])
        _audit_request(actor, locked, request)
        email_request_answered(locked.patient)
    return locked


def decline_request(
    *,
    actor: User,
    appointment_request: AppointmentRequest,
    reply: str,
    request: HttpRequest | None = None,
) -> AppointmentRequest:
    """Decline a patient's request, saying why in `reply` (required: the patient reads it when
    signed in). Audited in the same transaction; the e-mail after commit names nothing."""
    check_desk_staff(actor, appointment_request.patient.clinic_id)
    if not reply.strip():
        raise ValidationError(
            _("Write a reply for the patient saying why, and what they can do instead."),
            code="reply_required",
        )
    with transaction.atomic():
        locked = _locked_request(appointment_request)
        locked.status, locked.staff_reply = RequestStatus.DECLINED, reply.strip()
        locked.save(update_fields=["status", "staff_reply"])
        _audit_request(actor, locked, request)
        email_request_answered(locked.patient)
    return locked


def appointments_inside(
    clinic: Clinic,
    practitioner: Practitioner | None,
    location: Location | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> list[Appointment]:
    """Active appointments the block would cover: the practitioner's (or anyone's, for the
    whole clinic), at the place if one is given."""
    rows = Appointment.objects.filter(practitioner__clinic=clinic, status__in=ACTIVE_STATUSES)
    rows = rows.overlapping(starts_at, ends_at)
    if practitioner is not None:
        rows = rows.filter(practitioner=practitioner)
    if location is not None:
        rows = rows.filter(location=location)
    related = ("patient", "practitioner", "location")
    return list(rows.select_related(*related).order_by("starts_at", "practitioner_id"))


def _check_own(
    clinic: Clinic, practitioner: Practitioner | None, location: Location | None
) -> None:
    for thing in (practitioner, location):
        if thing is not None and thing.clinic_id != clinic.pk:
            raise PermissionDenied


def block_time(
    *,
    actor: User,
    clinic: Clinic,
    practitioner: Practitioner | None,
    location: Location | None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    note: str,
    kind: str = TimeOffKind.BLOCKED,
    request: HttpRequest | None = None,
) -> TimeOff:
    """Block time in which nobody can book: a practitioner's, or the whole clinic's (no
    practitioner), at one place or all, over minutes or days; a holiday only by a clinic
    administrator. Refused when it ends before it starts, or when booked appointments fall
    inside (`AppointmentsInTheWayError` lists them). Audited ("time_off", create, with its
    values) in the same transaction."""
    check_desk_staff(actor, clinic.pk)
    time_off_rules.check_may_add(actor, kind)
    _check_own(clinic, practitioner, location)
    if ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."), code="ends_before_start")
    with transaction.atomic():
        # Lock the practitioners concerned, as booking does, so no booking slips in meanwhile.
        people = Practitioner.objects.select_for_update(of=("self",)).filter(clinic=clinic)
        if practitioner is not None:
            people = people.filter(pk=practitioner.pk)
        list(people.order_by("pk"))
        in_the_way = appointments_inside(clinic, practitioner, location, starts_at, ends_at)
        if in_the_way:
            raise AppointmentsInTheWayError(in_the_way)
        blocked = TimeOff.objects.create(
            clinic=clinic,
            practitioner=practitioner,
            location=location,
            starts_at=starts_at,
            ends_at=ends_at,
            kind=kind,
            note=note,
        )
        time_off_rules.audit_time_off(
            actor=actor,
            time_off=blocked,
            action=AuditAction.CREATE,
            time_off_id=blocked.pk,
            request=request,
        )
    return blocked


def remove_blocked_time(
    *, actor: User, time_off: TimeOff, request: HttpRequest | None = None
) -> None:
    """Remove blocked time, so the time can be booked again; a holiday only by a clinic
    administrator. Audited ("time_off", delete, with its values) in the same transaction."""
    check_desk_staff(actor, time_off.clinic_id)
    time_off_rules.check_may_remove(actor, time_off)
    with transaction.atomic():
        time_off_id = time_off.pk
        time_off.delete()
        time_off_rules.audit_time_off(
            actor=actor,
            time_off=time_off,
            action=AuditAction.DELETE,
            time_off_id=time_off_id,
            request=request,
        )
