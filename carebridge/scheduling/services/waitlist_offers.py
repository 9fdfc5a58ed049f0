"""Offering freed times to the waiting list (see `services.waitlist` for joining and answering).

When a booked time is freed (cancelled, or moved away from), it is offered by e-mail to the
first waiting entries it suits, in the order they joined, CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE at
a time; each offer lasts CAREBRIDGE_WAITLIST_OFFER_MINUTES. A time is offered again, to the
next entries, only once no offer of it is open.

Audit rule: each offer made records a "create" event ("waitlist_offer") with no actor, as
"system". Privacy rule: the offer e-mail gives only the date and time, how long the offer lasts
and a link; never the reason, the kind of visit, the clinician or the place.
"""

from __future__ import annotations

import datetime
import functools
import uuid
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from carebridge.accounts.languages import in_language_of_address
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.clinic.models import Location, Practitioner
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services import send_after_commit
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    OfferStatus,
    VisitType,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from carebridge.scheduling.services.booking import clinic_zone, slots_for_day

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient

SYSTEM = "system"


@dataclass(frozen=True)
class FreedTime:
    """A time that may be offered: one visit of a kind, with whom, where and when (UTC)."""

    visit_type: VisitType
    practitioner: Practitioner
    location: Location
    starts_at: datetime.datetime


def audit_waitlist(
    *,
    actor: User | None,
    action: AuditAction,
    row: WaitlistEntry | WaitlistOffer,
    patient: Patient,
    acting_as: str,
    request: HttpRequest | None = None,
) -> None:
    object_type = "waitlist_entry" if isinstance(row, WaitlistEntry) else "waitlist_offer"
    record_event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=row.pk,
        patient=patient,
        acting_as=acting_as,
        request=request,
    )


def freed_time_of(offer: WaitlistOffer) -> FreedTime:
    return FreedTime(offer.entry.visit_type, offer.practitioner, offer.location, offer.starts_at)


def withdraw_open_offers(entry: WaitlistEntry, now: datetime.datetime) -> list[FreedTime]:
    """Close the entry's open offers (declined on its behalf); the times they were for."""
    rows = entry.offers.filter(status=OfferStatus.OPEN).select_related(
        "entry__visit_type__clinic", "practitioner", "location"
    )
    offers = list(rows)
    closed = WaitlistOffer.objects.filter(pk__in=[offer.pk for offer in offers])
    closed.update(status=OfferStatus.DECLINED, answered_at=now)
    return [freed_time_of(offer) for offer in offers]


def pass_on_after_commit(times: list[FreedTime]) -> None:
    """After commit, offer each time to the next entries when no open offer of it is left."""
    for time in dict.fromkeys(times):
        transaction.on_commit(functools.partial(offer_time, time), robust=True)


def is_bookable(time: FreedTime) -> bool:
    """Whether a patient could book the time now (free, within the lead times and hours)."""
    slots = slots_for_day(time.visit_type, time.practitioner, time.starts_at)
    return any(
        slot.starts_at == time.starts_at and slot.location.pk == time.location.pk for slot in slots
    )


def next_entries(
    time: FreedTime, skip_patient_id: uuid.UUID | None, limit: int, now: datetime.datetime
) -> list[WaitlistEntry]:
    """The first waiting entries, in the order they joined, that the time suits: their kind of
    visit, any or this clinician and place, an appointment to move (if any) that is later and
    may still be moved online (outside the cancellation window); never one already offered this
    time, nor the patient who has just given it up."""
    offered = WaitlistOffer.objects.filter(
        practitioner=time.practitioner, starts_at=time.starts_at
    ).values("entry_id")
    movable_after = now + datetime.timedelta(hours=time.visit_type.cancel_before_hours)
    rows = (
        WaitlistEntry.objects.waiting()
        .filter(visit_type=time.visit_type)
        .filter(Q(practitioner__isnull=True) | Q(practitioner=time.practitioner))
        .filter(Q(location__isnull=True) | Q(location=time.location))
        .filter(
            Q(appointment__isnull=True)
            | Q(
                appointment__status=AppointmentStatus.BOOKED,
                appointment__starts_at__gt=max(time.starts_at, movable_after),
            )
        )
        .exclude(pk__in=offered)
    )
    if skip_patient_id is not None:
        rows = rows.exclude(patient_id=skip_patient_id)
    rows = rows.select_related("patient__user").order_by("created_at", "pk")
    return list(rows[:limit])


def offer_expiry(time: FreedTime, now: datetime.datetime) -> datetime.datetime:
    """When an offer made now ends: after the set minutes, but no later than the time can
    still be booked (the visit type's soonest booking)."""
    lasts = now + datetime.timedelta(minutes=settings.CAREBRIDGE_WAITLIST_OFFER_MINUTES)
    bookable_until = time.starts_at - datetime.timedelta(hours=time.visit_type.min_lead_hours)
    return min(lasts, bookable_until)


def offer_time(time: FreedTime, skip_patient_id: uuid.UUID | None = None) -> list[WaitlistOffer]:
    """Offer a freed time to the next entries in order, up to CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE
    of them, unless an offer of it is still open or it cannot be booked now. Each offer is
    audited (no actor: "system") and e-mailed after commit. Safe to run twice: the
    practitioner's row is locked, and an entry is never offered the same time twice."""
    now = timezone.now()
    with transaction.atomic():
        Practitioner.objects.select_for_update(of=("self",)).filter(pk=time.practitioner.pk).get()
        still_open = WaitlistOffer.objects.filter(
            practitioner=time.practitioner, starts_at=time.starts_at, status=OfferStatus.OPEN
        )
        if still_open.exists() or not is_bookable(time):
            return []
        limit = settings.CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE
        return [
            make_offer(entry, time, now)
            for entry in next_entries(time, skip_patient_id, limit, now)
        ]


def make_offer(entry: WaitlistEntry, time: FreedTime, now: datetime.datetime) -> WaitlistOffer:
    offer = WaitlistOffer.objects.create(
        entry=entry,
        practitioner=time.practitioner,
        location=time.location,
        starts_at=time.starts_at,
        expires_at=offer_expiry(time, now),
    )
    audit_waitlist(
        actor=None, action=AuditAction.CREATE, row=offer, patient=entry.patient, acting_as=SYSTEM
    )
    email_offer(offer, entry.patient, clinic_zone(time.visit_type))
    return offer


def moment_words(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> dict[str, str]:
    """A moment's date and time on the clinic's clock, as words (as in booking's e-mails)."""
    local = moment.astimezone(zone)
    return {
        "date": formats.date_format(local, "WEEKDAY_DATE_FORMAT"),
        "time": f"{formats.time_format(local, 'TIME_FORMAT')} {local.tzname()}",
    }


def email_offer(offer: WaitlistOffer, patient: Patient, zone: zoneinfo.ZoneInfo) -> None:
    """Write the offer's e-mail to the outbox (sent after commit). Privacy rule: the date and
    time, how long the offer lasts and a link only; never the reason, the kind of visit, the
    clinician or place."""
    address = patient.notice_address
    if not address:
        return
    # Offered by the worker, with no request: in the patient's language.
    with in_language_of_address(address):
        link = settings.CAREBRIDGE_BASE_URL + reverse("scheduling:waitlist-offer", args=[offer.pk])
        until = moment_words(offer.expires_at, zone)
        paragraphs = [
            _("An earlier appointment time is available: %(date)s at %(time)s.")
            % moment_words(offer.starts_at, zone),
            _("This offer lasts until %(time)s on %(date)s.") % until,
            _("The first person to accept it gets the time."),
            _("Sign in to see the offer and accept it or say no:"),
            link,
        ]
        subject = _("[Carebridge] An earlier appointment time is available")
        send_after_commit(
            address, subject, paragraphs, kind=NoticeKind.WAITLIST, clinic=patient.clinic
        )


def end_entries_to_move(appointment: Appointment, now: datetime.datetime) -> None:
    """Entries waiting to move an appointment that no longer holds its time have nothing
    left to move: they end (audited as "system")."""
    rows = WaitlistEntry.objects.waiting().filter(appointment=appointment)
    # All the entries are locked at once, before the audit trail's lock is taken.
    for entry in list(rows.select_for_update()):
        entry.status, entry.ended_at = WaitlistStatus.LEFT, now
        entry.save(update_fields=["status", "ended_at"])
        audit_waitlist(
            actor=None,
            action=AuditAction.UPDATE,
            row=entry,
            patient=appointment.patient,
            acting_as=SYSTEM,
        )
        pass_on_after_commit(withdraw_open_offers(entry, now))


def offer_freed_time(appointment_id: uuid.UUID | str) -> list[WaitlistOffer]:
    """Called after commit when an appointment is cancelled or moved away from its time: offer
    that time to the waiting list (see `offer_time`), never to the patient who gave it up."""
    related = ("visit_type__clinic", "practitioner", "location", "patient")
    appointment = Appointment.objects.select_related(*related).filter(pk=appointment_id).first()
    if appointment is None or appointment.is_active:
        return []
    with transaction.atomic():
        end_entries_to_move(appointment, timezone.now())
    time = FreedTime(
        appointment.visit_type,
        appointment.practitioner,
        appointment.location,
        appointment.starts_at,
    )
    return offer_time(time, skip_patient_id=appointment.patient_id)


def queue_offer_freed_time(appointment: Appointment) -> None:
    """Offer the appointment's time to the waiting list once the caller's transaction commits;
    a failure there is logged and never undoes the cancellation."""
    transaction.on_commit(functools.partial(offer_freed_time, appointment.pk), robust=True)
