"""Online check-in before a visit: when it is open, and saving what the patient confirmed.

A booked appointment may be checked in from local midnight of its start date less
`CAREBRIDGE_CHECKIN_DAYS` days (the clinic's calendar) until it starts; never once it is
cancelled, has started or staff have marked it. There is one check-in per appointment, which the
patient may update until the start.

Audit rule: saving a check-in records a "check_in" event (create, then update) in the same
transaction, saying who acted and as whom; a corrected phone number or address records an
"update" of the patient. Privacy rule: what a check-in holds (insurance, allergies, medicines,
answers) is health or personal information: it is never e-mailed or logged, so no e-mail is sent.
"""

from __future__ import annotations

import datetime
import enum
import zoneinfo
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.billing.services.insurance import (
    CoverageFields,
    expected_copay,
    submit_from_check_in,
)
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient
from carebridge.scheduling.models import Appointment, AppointmentStatus, CheckIn
from carebridge.scheduling.services.booking import check_may_act

if TYPE_CHECKING:
    from carebridge.accounts.models import User

CHECK_IN_OBJECT = "check_in"
CONTACT_FIELDS = ("phone", "address_line", "city", "state", "postal_code")


class CheckInState(enum.StrEnum):
    """Where an appointment stands for online check-in at a moment."""

    NOT_YET = "not_yet"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ContactDetails:
    """The phone number and postal address a patient may correct when checking in."""

    phone: str
    address_line: str
    city: str
    state: str
    postal_code: str

    @classmethod
    def of(cls, patient: Patient) -> ContactDetails:
        return cls(**{name: getattr(patient, name) for name in CONTACT_FIELDS})


@dataclass(frozen=True)
class CheckInData:
    """What the check-in form collected, already checked field by field.

    A part of the record the viewer may not see is left out of the form: its `*_confirmed` is
    False and its changes empty, and the clinic asks at the visit.
    """

    contact: ContactDetails
    contact_confirmed: bool
    insurance_payer: str = ""
    insurance_member_id: str = ""
    insurance_group: str = ""
    self_pay: bool = False
    allergies_confirmed: bool = False
    allergy_changes: str = ""
    medications_confirmed: bool = False
    medication_changes: str = ""
    # [{"question": ..., "answer": ...}], one for each of the visit type's questions.
    answers: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CheckInTarget:
    """What is being checked in for, as the window needs it: an appointment booked here or
    one the clinic booked in its own system. `is_bookable` is whether its status still takes a
    check-in (booked, or waiting to be confirmed); `starts_at` None means no time is set yet."""

    starts_at: datetime.datetime | None
    zone: zoneinfo.ZoneInfo
    is_cancelled: bool
    is_bookable: bool


def target_of(appointment: Appointment | CheckInTarget) -> CheckInTarget:
    """An appointment booked here as a check-in target (a target is returned as it is)."""
    if isinstance(appointment, CheckInTarget):
        return appointment
    return CheckInTarget(
        starts_at=appointment.starts_at,
        zone=appointment_zone(appointment),
        is_cancelled=appointment.status == AppointmentStatus.CANCELLED,
        is_bookable=appointment.status == AppointmentStatus.BOOKED,
    )


def appointment_zone(appointment: Appointment) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(appointment.visit_type.clinic.time_zone)


def check_in_opens_at(appointment: Appointment | CheckInTarget) -> datetime.datetime:
    """Local midnight, in the clinic's time zone, of the start date less the setting's days."""
    target = target_of(appointment)
    if target.starts_at is None:
        raise ValueError("An appointment without a time has no check-in window.")
    start_day = target.starts_at.astimezone(target.zone).date()
    day = start_day - datetime.timedelta(days=settings.CAREBRIDGE_CHECKIN_DAYS)
    opens = datetime.datetime.combine(day, datetime.time(0), tzinfo=target.zone)
    return opens.astimezone(datetime.UTC)


def check_in_state(
    appointment: Appointment | CheckInTarget, now: datetime.datetime
) -> CheckInState:
    """Open from `check_in_opens_at` until (not at) the start, while the appointment is booked;
    not yet open for one the clinic has not given a time."""
    target = target_of(appointment)
    if target.is_cancelled:
        return CheckInState.CANCELLED
    if not target.is_bookable:
        return CheckInState.CLOSED
    if target.starts_at is None:
        return CheckInState.NOT_YET
    if now >= target.starts_at:
        return CheckInState.CLOSED
    if now < check_in_opens_at(target):
        return CheckInState.NOT_YET
    return CheckInState.OPEN


def opens_on_words(appointment: Appointment | CheckInTarget) -> str:
    """The clinic's date check-in opens, as words ("Friday 6 March 2026"); empty for an
    appointment without a time."""
    target = target_of(appointment)
    if target.starts_at is None:
        return ""
    local = check_in_opens_at(target).astimezone(target.zone)
    return formats.date_format(local, "WEEKDAY_DATE_FORMAT")


def check_may_check_in(appointment: Appointment | CheckInTarget, now: datetime.datetime) -> None:
    """ValidationError, saying why in plain words, unless check-in is open now."""
    target = target_of(appointment)
    state = check_in_state(target, now)
    if state is not CheckInState.CANCELLED and target.starts_at is None:
        raise ValidationError(
            _("The clinic has not set a time for this appointment yet, so check-in is not open."),
            code="no_time",
        )
    if state is CheckInState.CLOSED and target.starts_at is not None and now < target.starts_at:
        raise ValidationError(
            _(
                "Online check-in is not open for this appointment. "
                "Please check in at the front desk."
            ),
            code="not_bookable",
        )
    if state is CheckInState.NOT_YET:
        message = _("Online check-in opens on %(date)s.") % {"date": opens_on_words(target)}
        raise ValidationError(message, code="too_early")
    if state is CheckInState.CANCELLED:
        raise ValidationError(
            _("This appointment is cancelled, so there is nothing to check in for."),
            code="cancelled",
        )
    if state is CheckInState.CLOSED:
        raise ValidationError(
            _(
                "This appointment has already started, so online check-in has closed. "
                "Please check in at the front desk."
            ),
            code="closed",
        )


def check_complete(data: CheckInData) -> None:
    """ValidationError unless the contact details are confirmed and there is insurance (a
    company and member ID) or the patient pays themself. The form says so field by field;
    this is the service's own guard."""
    if not data.contact_confirmed:
        raise ValidationError(_("Confirm the contact details."), code="contact")
    has_insurance = bool(data.insurance_payer.strip() and data.insurance_member_id.strip())
    if not (data.self_pay or has_insurance):
        raise ValidationError(
            _("Enter the insurance company and member ID, or say there is no insurance."),
            code="insurance",
        )


def copay_words(cents: int | None, *, self_pay: bool = False) -> str:
    """What the patient may be asked to pay at the visit, in plain words; a patient without
    insurance is billed for the visit."""
    if self_pay:
        return _("You will be billed for the visit.")
    if not cents:
        return _("Nothing to pay at the visit is expected.")
    amount = f"${cents // 100:,}.{cents % 100:02d}"
    return _(
        "You may be asked to pay %(amount)s at your visit. "
        "The final amount can change after your insurance is billed."
    ) % {"amount": amount}


def expected_copay_words(patient: Patient | None, visit_type_copay_cents: int | None) -> str:
    """The copay the patient may pay at the visit (the insurance's, else the visit type's)."""
    if patient is None:
        return copay_words(visit_type_copay_cents)
    expected = expected_copay(patient, visit_type_copay_cents)
    return copay_words(expected.cents, self_pay=expected.self_pay)


def correct_contact_details(
    *,
    actor: User,
    acting_as: str,
    patient: Patient,
    contact: ContactDetails,
    request: HttpRequest | None = None,
) -> bool:
    """Save a corrected phone number or postal address on the patient; True if any changed.

    Audit: an "update" event on the patient, only when something changed, in the caller's
    transaction. The e-mail address is the account's and is changed in the account settings.
    """
    changed = [name for name in CONTACT_FIELDS if getattr(contact, name) != getattr(patient, name)]
    if not changed:
        return False
    for name in changed:
        setattr(patient, name, getattr(contact, name))
    patient.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="patient",
        object_id=patient.pk,
        patient=patient,
        acting_as=acting_as,
        request=request,
    )
    return True


def send_insurance_change(actor: Actor, patient: Patient, data: CheckInData) -> None:
    """Send the insurance typed (or "no insurance") for review when it is new."""
    typed = None
    if not data.self_pay:
        typed = CoverageFields(
            payer_name=data.insurance_payer,
            member_id=data.insurance_member_id,
            group_number=data.insurance_group,
        )
    submit_from_check_in(actor=actor, patient=patient, fields=typed)


def check_in_fields(data: CheckInData) -> dict[str, object]:
    """The CheckIn columns the data fills (insurance left empty when paying themself)."""
    insurance = (
        ("", "", "")
        if data.self_pay
        else (
            data.insurance_payer.strip(),
            data.insurance_member_id.strip(),
            data.insurance_group.strip(),
        )
    )
    return {
        "contact_confirmed": data.contact_confirmed,
        "insurance_payer": insurance[0],
        "insurance_member_id": insurance[1],
        "insurance_group": insurance[2],
        "self_pay": data.self_pay,
        "allergies_confirmed": data.allergies_confirmed,
        "allergy_changes": data.allergy_changes,
        "medications_confirmed": data.medications_confirmed,
        "medication_changes": data.medication_changes,
        "answers": data.answers,
    }


def check_in(
    *,
    actor: User,
    acting_as: str,
    appointment: Appointment,
    now: datetime.datetime,
    data: CheckInData,
    request: HttpRequest | None = None,
) -> CheckIn:
    """Check in online for a booked appointment, as the patient or a caregiver or parent with
    the appointments scope, while check-in is open; a second time updates the same check-in.

    In one transaction, with the appointment locked and the window re-checked: a corrected
    phone number or address is saved on the patient (audited as a patient update), and the
    check-in is saved with the expected copay at this moment (the insurance's, else the visit
    type's); insurance that differs from the coverage on file is sent to the front desk as a
    change to check (`billing.services.insurance`). Audit: a "check_in" create (first time)
    or update event, and "insurance" for a change sent. No e-mail: a check-in is health
    information.
    """
    check_may_act(actor, acting_as, appointment.patient)
    check_complete(data)
    with transaction.atomic():
        locked = Appointment.objects.select_for_update(of=("self",)).get(pk=appointment.pk)
        check_may_check_in(locked, now)
        correct_contact_details(
            actor=actor,
            acting_as=acting_as,
            patient=appointment.patient,
            contact=data.contact,
            request=request,
        )
        billing_actor = Actor(user=actor, acting_as=acting_as, now=now, request=request)
        send_insurance_change(billing_actor, appointment.patient, data)
        expected = expected_copay(appointment.patient, appointment.visit_type.copay_cents)
        row, created = CheckIn.objects.update_or_create(
            appointment=locked,
            defaults=check_in_fields(data)
            | {
                "completed_at": now,
                "completed_by": actor,
                "completed_as": acting_as,
                "copay_cents": expected.cents,
            },
        )
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type=CHECK_IN_OBJECT,
            object_id=locked.pk,
            patient=appointment.patient,
            acting_as=acting_as,
            request=request,
        )
    return row
