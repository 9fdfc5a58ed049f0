"""The clinic administrator's booking set-up: visit types and who may book them, and each
clinician's weekly hours.

Only active staff of the clinic whose role holds `clinic.manage_clinic` may call these; the
views check it too, the services do not trust them to. Audit rule: every change records, in the
same transaction, a configuration change (`record_change`, "visit_type" or "weekly_hours", by
id) with the values before and after: lists of clinicians and places as sorted lists of names,
clock times as "HH:MM". Nothing here touches an appointment already booked: an appointment keeps
its own start, end, clinician and place whatever happens to its visit type or the hours.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change
from carebridge.clinic.models import Clinic, Location, Practitioner, StaffMember
from carebridge.core.actor import Actor
from carebridge.scheduling.models import OnlineBooking, VisitType, Weekday, WeeklyHours

MANAGE_PERMISSION = "clinic.manage_clinic"
SHORTEST_VISIT_MINUTES = 5
LONGEST_VISIT_MINUTES = 240


@dataclass
class VisitTypeSettings:
    """Everything about a visit type a clinic chooses, as the form cleaned it."""

    name: str
    duration_minutes: int
    mode: str
    online_booking: str
    min_lead_hours: int
    max_lead_days: int
    cancel_before_hours: int
    is_active: bool
    description: str = ""
    copay_cents: int | None = None
    checkin_questions: str = ""
    practitioners: list[Practitioner] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)

    @property
    def is_bookable_online(self) -> bool:
        return self.is_active and self.online_booking != OnlineBooking.NOBODY


# The plain fields copied from the settings onto the model, in the order the audit lists them.
_PLAIN_FIELDS = (
    "name",
    "description",
    "duration_minutes",
    "mode",
    "online_booking",
    "min_lead_hours",
    "max_lead_days",
    "cancel_before_hours",
    "is_active",
    "copay_cents",
    "checkin_questions",
)


def check_clinic_admin(actor: Actor, clinic_id: int) -> None:
    """PermissionDenied unless the actor is an active administrator of this clinic."""
    user = actor.user
    if user is None or not user.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied
    if not StaffMember.objects.filter(user=user, is_active=True, clinic_id=clinic_id).exists():
        raise PermissionDenied


def check_visit_type_rules(settings: VisitTypeSettings) -> None:
    """The rules a visit type must keep, as a ValidationError naming the field at fault.

    The form runs them to show the message beside the field; the service runs them again.
    """
    problems: dict[str, str] = {}
    if not SHORTEST_VISIT_MINUTES <= settings.duration_minutes <= LONGEST_VISIT_MINUTES:
        problems["duration_minutes"] = _("A visit must last from 5 to 240 minutes.")
    if settings.min_lead_hours >= settings.max_lead_days * 24:
        problems["max_lead_days"] = _(
            "The latest booking must be later than the soonest booking: make the days ahead "
            "longer than the hours ahead."
        )
    if settings.is_bookable_online and not settings.practitioners:
        problems["practitioners"] = _(
            "Choose at least one clinician, or choose that nobody may book it online."
        )
    if settings.is_bookable_online and not settings.locations:
        problems["locations"] = _(
            "Choose at least one place, or choose that nobody may book it online."
        )
    if problems:
        raise ValidationError(problems)


def _check_own(clinic: Clinic, things: list[Practitioner] | list[Location]) -> None:
    # The form offers only the clinic's own; anything else is a forged request.
    if any(thing.clinic_id != clinic.pk for thing in things):
        raise PermissionDenied


def _name_taken(name: str) -> ValidationError:
    words = _("The clinic already has a visit type called “%(name)s”.") % {"name": name}
    return ValidationError({"name": words})


def _check_name_free(clinic: Clinic, name: str, visit_type_id: int | None) -> None:
    taken = VisitType.objects.filter(clinic=clinic, name__iexact=name)
    if visit_type_id is not None:
        taken = taken.exclude(pk=visit_type_id)
    if taken.exists():
        raise _name_taken(name)


def _names(things: Any) -> list[str]:
    return sorted(str(thing) for thing in things)


def visit_type_values(visit_type: VisitType) -> dict[str, Any]:
    """A visit type's settings as the audit trail records them."""
    values: dict[str, Any] = {name: getattr(visit_type, name) for name in _PLAIN_FIELDS}
    values["practitioners"] = _names(visit_type.practitioners.all())
    values["locations"] = _names(visit_type.locations.all())
    return values


def _save_visit_type(
    *, actor: Actor, visit_type: VisitType, settings: VisitTypeSettings, action: AuditAction
) -> VisitType:
    clinic = visit_type.clinic
    check_clinic_admin(actor, clinic.pk)
    check_visit_type_rules(settings)
    _check_own(clinic, settings.practitioners)
    _check_own(clinic, settings.locations)
    try:
        with transaction.atomic():
            _check_name_free(clinic, settings.name, visit_type.pk)
            before = visit_type_values(visit_type) if visit_type.pk else {}
            for name in _PLAIN_FIELDS:
                setattr(visit_type, name, getattr(settings, name))
            visit_type.save()
            visit_type.practitioners.set(settings.practitioners)
            visit_type.locations.set(settings.locations)
            record_change(
                actor=actor.user,
                object_type="visit_type",
                object_id=visit_type.pk,
                before=before,
                after=visit_type_values(visit_type),
                action=action,
                request=actor.request,
            )
    except IntegrityError as clash:
        # Another administrator saved the same name between the check and the save.
        raise _name_taken(settings.name) from clash
    return visit_type


def add_visit_type(*, actor: Actor, clinic: Clinic, settings: VisitTypeSettings) -> VisitType:
    """Add a visit type to the clinic. Refused (ValidationError, nothing saved) when it breaks
    `check_visit_type_rules` or its name is taken. Audited ("visit_type", create)."""
    return _save_visit_type(
        actor=actor,
        visit_type=VisitType(clinic=clinic),
        settings=settings,
        action=AuditAction.CREATE,
    )


def change_visit_type(
    *, actor: Actor, visit_type: VisitType, settings: VisitTypeSettings
) -> VisitType:
    """Change a visit type's settings. Appointments already booked keep their times, clinician
    and place; only bookings from now on follow the new settings. Refused as `add_visit_type`.
    Audited ("visit_type", update) with only the settings that changed."""
    return _save_visit_type(
        actor=actor, visit_type=visit_type, settings=settings, action=AuditAction.UPDATE
    )


def is_visit_type_in_use(visit_type: VisitType) -> bool:
    """Whether anything a patient did or was given names the visit type."""
    return (
        visit_type.appointments.exists()
        or visit_type.appointment_requests.exists()
        or visit_type.waitlist.exists()
    )


def remove_visit_type(*, actor: Actor, visit_type: VisitType) -> None:
    """Remove a visit type nobody has booked, asked for or waited for. One that has been used
    is refused (ValidationError): it is kept, with its history, and can stop being offered.
    Audited ("visit_type", delete) with its settings before."""
    check_clinic_admin(actor, visit_type.clinic_id)
    with transaction.atomic():
        if is_visit_type_in_use(visit_type):
            raise ValidationError(
                _(
                    "Appointments or requests have been made for this visit type, so it is "
                    "kept. To stop patients booking it, untick “Offered” and save."
                ),
                code="in_use",
            )
        before = visit_type_values(visit_type)
        visit_type_id = visit_type.pk
        visit_type.delete()
        record_change(
            actor=actor.user,
            object_type="visit_type",
            object_id=visit_type_id,
            before=before,
            after={},
            action=AuditAction.DELETE,
            request=actor.request,
        )


def _clock(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def weekly_hours_values(hours: WeeklyHours) -> dict[str, Any]:
    """A block of weekly hours as the audit trail records it."""
    return {
        "clinician": str(hours.practitioner),
        "day": Weekday(hours.weekday).name.lower(),
        "place": hours.location.name,
        "starts_at": _clock(hours.starts_at),
        "ends_at": _clock(hours.ends_at),
    }


def _check_no_overlap(hours: WeeklyHours) -> None:
    same_day = WeeklyHours.objects.filter(practitioner=hours.practitioner, weekday=hours.weekday)
    clash = (
        same_day.filter(starts_at__lt=hours.ends_at, ends_at__gt=hours.starts_at)
        .select_related("location")
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _(
                "These hours overlap hours already set for %(day)s: %(starts)s to %(ends)s at "
                "%(place)s. A clinician can be in only one place at a time."
            )
            % {
                "day": Weekday(hours.weekday).label,
                "starts": _clock(clash.starts_at),
                "ends": _clock(clash.ends_at),
                "place": clash.location.name,
            },
            code="overlap",
        )


def _check_hours_shape(hours: WeeklyHours) -> None:
    if hours.ends_at <= hours.starts_at:
        raise ValidationError(_("The end must be after the start."), code="ends_before_start")
    if not hours.practitioner.locations.filter(pk=hours.location.pk).exists():
        raise ValidationError(
            _("%(who)s does not work at %(place)s. Choose one of their places.")
            % {"who": hours.practitioner, "place": hours.location.name},
            code="not_their_place",
        )


def add_weekly_hours(
    *,
    actor: Actor,
    practitioner: Practitioner,
    location: Location,
    weekday: int,
    starts_at: datetime.time,
    ends_at: datetime.time,
) -> WeeklyHours:
    """Add a block of weekly hours; the booking pages offer its times at once. Refused
    (ValidationError, nothing saved) when it ends before it starts, is at a place the clinician
    does not work at, or overlaps their other hours that day at any place. Audited
    ("weekly_hours", create)."""
    check_clinic_admin(actor, practitioner.clinic_id)
    if location.clinic_id != practitioner.clinic_id:
        raise PermissionDenied
    hours = WeeklyHours(
        practitioner=practitioner,
        location=location,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    _check_hours_shape(hours)
    with transaction.atomic():
        # Lock the clinician so that two additions at once cannot both pass the overlap check.
        Practitioner.objects.select_for_update().filter(pk=practitioner.pk).first()
        _check_no_overlap(hours)
        hours.save()
        record_change(
            actor=actor.user,
            object_type="weekly_hours",
            object_id=hours.pk,
            before={},
            after=weekly_hours_values(hours),
            action=AuditAction.CREATE,
            request=actor.request,
        )
    return hours


def remove_weekly_hours(*, actor: Actor, hours: WeeklyHours) -> None:
    """Remove a block of weekly hours: its times are no longer offered from now on.
    Appointments already booked in them stay booked. Audited ("weekly_hours", delete)."""
    check_clinic_admin(actor, hours.practitioner.clinic_id)
    with transaction.atomic():
        before = weekly_hours_values(hours)
        hours_id = hours.pk
        hours.delete()
        record_change(
            actor=actor.user,
            object_type="weekly_hours",
            object_id=hours_id,
            before=before,
            after={},
            action=AuditAction.DELETE,
            request=actor.request,
        )
