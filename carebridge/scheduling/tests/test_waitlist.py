"""The waiting list's services: joining and leaving, who is offered a freed time and in which
order, the offer e-mail, expiry passing the time down the list, and the first accept winning.
"Now" is Wednesday, March 4, 2026, 10:00 a.m. in New York (15:00 UTC)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    BookedAs,
    OfferStatus,
    OnlineBooking,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from carebridge.scheduling.services import (
    accept_offer,
    book_appointment,
    cancel_appointment,
    decline_offer,
    expire_offers,
    join_waitlist,
    leave_waitlist,
    offer_freed_time,
)
from carebridge.scheduling.tests.conftest import NOW
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_appointment,
    make_hours,
    make_schedule,
    make_visit_type,
)
from carebridge.testing import factories
from carebridge.testing.concurrency import at_the_same_moment, postgres_race
from carebridge.testing.personas import Cast
from carebridge.testing.proxy_personas import make_grant
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

THURSDAY = 3
FREED = local(2026, 3, 5, 9)
REASON = "Sore knee; worse on stairs"
TAKEN = "Someone else accepted this time first. You are still on the waiting list."


@pytest.fixture(autouse=True)
def base_url(settings: Any) -> None:
    settings.CAREBRIDGE_BASE_URL = "http://testserver"


@pytest.fixture
def schedule(cast: Cast) -> Schedule:
    """Dr Okafor's check-ups, Thursdays 9 to 12 at the Main Street office."""
    s = make_schedule(cast.clinic, name="Check-up")
    make_hours(s.practitioner, s.location, THURSDAY, "09:00", "12:00")
    return s


def waiter(cast: Cast, given: str) -> Patient:
    """Another patient of Pat's clinic, with a portal account."""
    user = factories.make_user(
        email=f"{given.lower()}@example.org", first_name=given, last_name="Waiter"
    )
    return factories.make_patient(cast.clinic, user=user, given_name=given, family_name="Waiter")


def join(patient: Patient, schedule: Schedule, *, minutes_ago: int = 0, **changes: Any):
    """The patient joins for the schedule's check-up, `minutes_ago` before now."""
    arguments: dict[str, Any] = {
        "actor": patient.user,
        "acting_as": BookedAs.SELF,
        "patient": patient,
        "visit_type": schedule.visit_type,
    }
    with time_machine.travel(NOW - datetime.timedelta(minutes=minutes_ago), tick=False):
        return join_waitlist(**(arguments | changes))


def booked(patient: Patient, schedule: Schedule, starts_at: datetime.datetime, **fields: Any):
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    return make_appointment(patient, *visit, starts_at, **fields)


def free(patient: Patient, schedule: Schedule, starts_at: datetime.datetime = FREED):
    """The patient's appointment at `starts_at`, already cancelled."""
    return booked(patient, schedule, starts_at, status=AppointmentStatus.CANCELLED)


def offer_and_send(capture: Any, appointment: Appointment) -> list[WaitlistOffer]:
    with capture(execute=True):
        return offer_freed_time(appointment.pk)


def offered(entries: list[WaitlistEntry]) -> list[str]:
    """Whose entries hold offers, in the order the entries joined."""
    rows = WaitlistOffer.objects.filter(entry__in=entries).order_by("entry__created_at")
    return [offer.entry.patient.given_name for offer in rows]


def answer(offer: WaitlistOffer, service: Any, **changes: Any) -> Any:
    patient = offer.entry.patient
    arguments = {"actor": patient.user, "acting_as": BookedAs.SELF, "offer": offer, "now": NOW}
    return service(**(arguments | changes))


# Joining and leaving.


def test_joining_records_the_entry_and_an_audit_event(cast, schedule):
    entry = join(cast.patient, schedule, reason=REASON, location=schedule.location)
    saved = WaitlistEntry.objects.get()
    assert saved == entry
    assert (saved.patient, saved.visit_type, saved.practitioner, saved.location) == (
        cast.patient,
        schedule.visit_type,
        None,
        schedule.location,
    )
    assert (saved.reason, saved.status, saved.created_by, saved.booked_as) == (
        REASON,
        WaitlistStatus.WAITING,
        cast.patient_user,
        BookedAs.SELF,
    )
    events = AuditEvent.objects.filter(object_type="waitlist_entry")
    assert [(e.actor, e.action, e.acting_as, e.object_id, e.patient) for e in events] == [
        (cast.patient_user, "create", "self", str(entry.pk), cast.patient)
    ]


def test_joining_again_says_already_on_the_list(cast, schedule):
    join(cast.patient, schedule)
    with pytest.raises(ValidationError) as refused:
        join(cast.patient, schedule, practitioner=schedule.practitioner)
    assert refused.value.messages == ["You are already on the waiting list for this."]
    # Moving a booked appointment earlier is another entry of its own.
    visit = booked(cast.patient, schedule, local(2026, 3, 12, 9))
    join(cast.patient, schedule, appointment=visit)
    assert WaitlistEntry.objects.count() == 2


def test_after_leaving_one_may_join_again(cast, schedule):
    entry = join(cast.patient, schedule)
    leave_waitlist(actor=cast.patient_user, acting_as="self", entry=entry, now=NOW)
    join(cast.patient, schedule)
    assert sorted(WaitlistEntry.objects.values_list("status", flat=True)) == ["left", "waiting"]


def test_only_kinds_of_visit_the_patient_may_book_online(cast, schedule):
    schedule.visit_type.online_booking = OnlineBooking.NOBODY
    schedule.visit_type.save()
    with pytest.raises(ValidationError) as refused:
        join(cast.patient, schedule)
    assert refused.value.code == "request_only"
    schedule.visit_type.online_booking = OnlineBooking.ESTABLISHED
    schedule.visit_type.save()
    with pytest.raises(ValidationError) as refused:
        join(cast.patient, schedule)
    assert refused.value.code == "established_only"
    schedule.visit_type.online_booking = OnlineBooking.EVERYONE
    schedule.visit_type.is_active = False
    schedule.visit_type.save()
    with pytest.raises(ValidationError) as refused:
        join(cast.patient, schedule)
    assert refused.value.code == "not_offered"
    assert not WaitlistEntry.objects.exists()


def test_a_clinician_who_does_not_offer_the_kind_of_visit_cannot_be_chosen(cast, schedule):
    with pytest.raises(ValidationError) as refused:
        join(cast.patient, schedule, practitioner=schedule.other_practitioner)
    assert refused.value.messages == [
        "This clinician does not offer this kind of visit. Please choose another."
    ]
    with pytest.raises(ValidationError):
        join(cast.patient, schedule, location=schedule.other_location)
    assert not WaitlistEntry.objects.exists()


def test_the_appointment_to_move_must_be_the_patients_booked_one_of_that_kind(cast, schedule):
    sams = booked(cast.second_patient, schedule, local(2026, 3, 12, 9))
    cancelled = booked(cast.patient, schedule, local(2026, 3, 12, 10), status="cancelled")
    other_kind = make_visit_type(
        cast.clinic, practitioners=[schedule.practitioner], locations=[schedule.location]
    )
    other = make_appointment(
        cast.patient, other_kind, schedule.practitioner, schedule.location, local(2026, 3, 12, 11)
    )
    for appointment, code in ((sams, "not_movable"), (cancelled, "not_movable")):
        with pytest.raises(ValidationError) as refused:
            join(cast.patient, schedule, appointment=appointment)
        assert refused.value.code == code
    with pytest.raises(ValidationError) as refused:
        join(cast.patient, schedule, appointment=other)
    assert refused.value.code == "not_same_type"
    assert not WaitlistEntry.objects.exists()


def test_a_caregiver_joins_only_with_the_appointments_scope(cast, schedule):
    abe = cast.proxies.appointments_caregiver
    entry = join(cast.patient, schedule, actor=abe, acting_as=BookedAs.PROXY)
    assert (entry.created_by, entry.booked_as) == (abe, BookedAs.PROXY)
    results_only = factories.make_user(email="rhea.results@example.org")
    make_grant(cast.patient, results_only, granted_by=cast.patient_user, scopes=["results"])
    for actor, acting_as in (
        (results_only, BookedAs.PROXY),
        (cast.second_patient_user, BookedAs.SELF),
        (abe, BookedAs.SELF),
    ):
        with pytest.raises(PermissionDenied):
            join(cast.patient, schedule, actor=actor, acting_as=acting_as, appointment=None)
    assert WaitlistEntry.objects.count() == 1


def test_leaving_withdraws_open_offers_and_passes_the_time_on(
    cast, schedule, settings, django_capture_on_commit_callbacks
):
    settings.CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE = 1
    first = join(cast.patient, schedule, minutes_ago=20)
    second = join(waiter(cast, "Ann"), schedule, minutes_ago=10)
    offer_and_send(django_capture_on_commit_callbacks, free(cast.second_patient, schedule))
    with django_capture_on_commit_callbacks(execute=True):
        left = leave_waitlist(actor=cast.patient_user, acting_as="self", entry=first, now=NOW)
    assert (left.status, left.ended_at) == (WaitlistStatus.LEFT, NOW)
    assert [(o.entry, o.status) for o in WaitlistOffer.objects.order_by("entry__created_at")] == [
        (first, OfferStatus.DECLINED),
        (second, OfferStatus.OPEN),
    ]
    assert [m.to for m in mail.outbox] == [["pat@example.org"], ["ann@example.org"]]
    events = AuditEvent.objects.filter(object_type="waitlist_entry", action="update")
    assert [(e.actor, e.object_id) for e in events] == [(cast.patient_user, str(first.pk))]
    with pytest.raises(ValidationError):
        leave_waitlist(actor=cast.patient_user, acting_as="self", entry=first, now=NOW)


# Offering a freed time.


def test_the_freed_time_goes_to_the_first_to_join_a_few_at_a_time(
    cast, schedule, django_capture_on_commit_callbacks
):
    # Joined in an order unlike the order of creation, so that the order is the join time's.
    people = {name: waiter(cast, name) for name in ("Dee", "Bea", "Eve", "Cal", "Ann")}
    minutes = {"Dee": 20, "Bea": 40, "Eve": 10, "Cal": 30, "Ann": 50}
    entries = [join(people[name], schedule, minutes_ago=minutes[name]) for name in people]
    offers = offer_and_send(django_capture_on_commit_callbacks, free(cast.second_patient, schedule))
    assert [offer.entry.patient.given_name for offer in offers] == ["Ann", "Bea", "Cal"]
    assert offered(entries) == ["Ann", "Bea", "Cal"]
    assert {(o.practitioner, o.location, o.starts_at, o.status) for o in offers} == {
        (schedule.practitioner, schedule.location, FREED, OfferStatus.OPEN)
    }
    assert [m.to for m in mail.outbox] == [
        ["ann@example.org"],
        ["bea@example.org"],
        ["cal@example.org"],
    ]
    events = AuditEvent.objects.filter(object_type="waitlist_offer")
    assert [(e.actor, e.action, e.acting_as) for e in events] == [(None, "create", "system")] * 3


def test_the_batch_size_is_a_setting(cast, schedule, settings, django_capture_on_commit_callbacks):
    settings.CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE = 2
    entries = [join(waiter(cast, n), schedule, minutes_ago=m) for n, m in (("Ann", 9), ("Bea", 8))]
    entries.append(join(waiter(cast, "Cal"), schedule, minutes_ago=7))
    offer_and_send(django_capture_on_commit_callbacks, free(cast.second_patient, schedule))
    assert offered(entries) == ["Ann", "Bea"]


def test_the_offer_lasts_the_set_minutes(cast, schedule, settings):
    settings.CAREBRIDGE_WAITLIST_OFFER_MINUTES = 45
    join(cast.patient, schedule)
    (offer,) = offer_freed_time(free(cast.second_patient, schedule).pk)
    assert offer.expires_at == NOW + datetime.timedelta(minutes=45)


def test_an_offer_ends_when_the_time_could_no_longer_be_booked(cast, schedule):
    make_hours(schedule.practitioner, schedule.location, 2, "09:00", "17:00")
    join(cast.patient, schedule)
    # 1:00 p.m. today; check-ups are booked at least 2 hours ahead, so until 11:00 a.m.
    (offer,) = offer_freed_time(free(cast.second_patient, schedule, local(2026, 3, 4, 13)).pk)
    assert offer.expires_at == local(2026, 3, 4, 11)


def test_who_is_skipped(cast, schedule, django_capture_on_commit_callbacks):
    other_kind = make_visit_type(
        cast.clinic, practitioners=[schedule.practitioner], locations=[schedule.location]
    )
    # Dr Lee and the Hill Road office offer check-ups too, with no hours this week.
    schedule.visit_type.practitioners.add(schedule.other_practitioner)
    schedule.visit_type.locations.add(schedule.other_location)
    sam = cast.second_patient
    later = booked(cast.patient, schedule, local(2026, 3, 12, 9))
    ann, bea, cal, dee = (waiter(cast, name) for name in ("Ann", "Bea", "Cal", "Dee"))
    earlier = booked(ann, schedule, local(2026, 3, 4, 14))
    skipped = [
        join(sam, schedule, minutes_ago=60),  # gave the time up
        join(bea, schedule, minutes_ago=59, visit_type=other_kind),
        join(cal, schedule, minutes_ago=58, practitioner=schedule.other_practitioner),
        join(dee, schedule, minutes_ago=57, location=schedule.other_location),
        join(ann, schedule, minutes_ago=56, appointment=earlier),  # already sooner
    ]
    left = join(waiter(cast, "Eve"), schedule, minutes_ago=55)
    leave_waitlist(actor=left.patient.user, acting_as="self", entry=left, now=NOW)
    suited = [
        join(cast.patient, schedule, minutes_ago=50, appointment=later),
        join(waiter(cast, "Fay"), schedule, minutes_ago=40, practitioner=schedule.practitioner),
        join(waiter(cast, "Gus"), schedule, minutes_ago=30, location=schedule.location),
    ]
    offer_and_send(django_capture_on_commit_callbacks, free(sam, schedule))
    assert offered([*skipped, left, *suited]) == ["Pat", "Fay", "Gus"]


def test_an_appointment_too_close_to_move_online_is_skipped(cast, schedule):
    make_hours(schedule.practitioner, schedule.location, 2, "12:00", "17:00")
    ann, bea = waiter(cast, "Ann"), waiter(cast, "Bea")
    # Check-ups may be moved online until 24 hours before: Ann's, tomorrow at 9:30, no more.
    anns = join(
        ann, schedule, minutes_ago=9, appointment=booked(ann, schedule, FREED.replace(minute=30))
    )
    beas = join(
        bea, schedule, minutes_ago=8, appointment=booked(bea, schedule, local(2026, 3, 5, 11))
    )
    offer_freed_time(free(cast.second_patient, schedule, local(2026, 3, 4, 14)).pk)
    assert offered([anns, beas]) == ["Bea"]


def test_a_linked_appointment_no_longer_booked_is_skipped(cast, schedule):
    visit = booked(cast.patient, schedule, local(2026, 3, 12, 9))
    join(cast.patient, schedule, appointment=visit)
    Appointment.objects.filter(pk=visit.pk).update(status=AppointmentStatus.COMPLETED)
    assert offer_freed_time(free(cast.second_patient, schedule).pk) == []


def test_a_time_is_never_offered_twice_to_one_entry(cast, schedule):
    join(cast.patient, schedule)
    freed = free(cast.second_patient, schedule)
    (offer,) = offer_freed_time(freed.pk)
    assert offer_freed_time(freed.pk) == []
    answer(offer, decline_offer)
    assert offer_freed_time(freed.pk) == []
    assert WaitlistOffer.objects.count() == 1


def test_a_time_that_cannot_be_booked_now_is_not_offered(cast, schedule):
    join(cast.patient, schedule)
    schedule.visit_type.min_lead_hours = 48
    schedule.visit_type.save()
    assert offer_freed_time(free(cast.second_patient, schedule).pk) == []
    # Nor one that is booked again already, nor an appointment still holding its time.
    schedule.visit_type.min_lead_hours = 2
    schedule.visit_type.save()
    freed = free(cast.second_patient, schedule)
    holding = booked(waiter(cast, "Ann"), schedule, FREED)
    assert offer_freed_time(freed.pk) == []
    assert offer_freed_time(holding.pk) == []
    assert not WaitlistOffer.objects.exists()


def test_cancelling_offers_the_time_after_commit(
    cast, schedule, django_capture_on_commit_callbacks
):
    join(cast.patient, schedule)
    sams = booked(cast.second_patient, schedule, FREED)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(
            actor=cast.front_desk, acting_as="staff", appointment=sams, reason="", now=NOW
        )
    offer = WaitlistOffer.objects.get()
    assert (offer.entry.patient, offer.starts_at) == (cast.patient, FREED)
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("[Carebridge] An appointment was cancelled", ["sam@example.org"]),
        ("[Carebridge] An earlier appointment time is available", ["pat@example.org"]),
    ]


def test_the_email_gives_the_time_and_a_link_and_no_health_information(
    cast, schedule, django_capture_on_commit_callbacks
):
    join(cast.patient, schedule, reason=REASON)
    (offer,) = offer_and_send(
        django_capture_on_commit_callbacks, free(cast.second_patient, schedule)
    )
    (email,) = mail.outbox
    assert (email.subject, email.to) == (
        "[Carebridge] An earlier appointment time is available",
        ["pat@example.org"],
    )
    assert email.body == (
        "An earlier appointment time is available: Thursday, March 5, 2026 at 9:00 a.m. EST.\n\n"
        "This offer lasts until 12:00 p.m. EST on Wednesday, March 4, 2026.\n\n"
        "The first person to accept it gets the time.\n\n"
        "Sign in to see the offer and accept it or say no:\n\n"
        f"http://testserver/appointments/offers/{offer.pk}/\n"
    )
    text = email.subject + email.body
    for word in ("Okafor", "Sam", "Pat", "Patient", "Check-up", "Sore knee", "Main Street"):
        assert not mentions(text, word), word


# Answering an offer.


def test_declining_keeps_the_entry_waiting_and_passes_on_when_no_offer_is_left(
    cast, schedule, settings, django_capture_on_commit_callbacks
):
    settings.CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE = 2
    entries = [join(waiter(cast, n), schedule, minutes_ago=m) for n, m in (("Ann", 9), ("Bea", 8))]
    entries.append(join(waiter(cast, "Cal"), schedule, minutes_ago=7))
    ann, bea = offer_and_send(
        django_capture_on_commit_callbacks, free(cast.second_patient, schedule)
    )
    with django_capture_on_commit_callbacks(execute=True):
        declined = answer(ann, decline_offer)
    assert (declined.status, declined.answered_at) == (OfferStatus.DECLINED, NOW)
    assert offered(entries) == ["Ann", "Bea"]
    with django_capture_on_commit_callbacks(execute=True):
        answer(bea, decline_offer)
    assert offered(entries) == ["Ann", "Bea", "Cal"]
    assert set(WaitlistEntry.objects.values_list("status", flat=True)) == {"waiting"}
    assert mail.outbox[-1].to == ["cal@example.org"]
    with pytest.raises(ValidationError):
        answer(bea, decline_offer)


def test_expiry_passes_the_time_down_the_list(
    cast, schedule, settings, django_capture_on_commit_callbacks
):
    settings.CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE = 2
    names = (("Ann", 9), ("Bea", 8), ("Cal", 7), ("Dee", 6), ("Eve", 5))
    entries = [join(waiter(cast, name), schedule, minutes_ago=m) for name, m in names]
    offer_and_send(django_capture_on_commit_callbacks, free(cast.second_patient, schedule))
    ends = NOW + datetime.timedelta(minutes=120)
    with time_machine.travel(ends - datetime.timedelta(seconds=1), tick=False):
        assert expire_offers(now=ends - datetime.timedelta(seconds=1)) == 0
    with (
        time_machine.travel(ends, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert expire_offers(now=ends) == 2
    statuses = WaitlistOffer.objects.order_by("entry__created_at").values_list("status", flat=True)
    assert list(statuses) == ["expired", "expired", "open", "open"]
    assert offered(entries) == ["Ann", "Bea", "Cal", "Dee"]
    assert [m.to[0] for m in mail.outbox] == [
        "ann@example.org",
        "bea@example.org",
        "cal@example.org",
        "dee@example.org",
    ]
    # Running it again changes nothing.
    with time_machine.travel(ends, tick=False):
        assert expire_offers(now=ends) == 0


def test_expiry_does_not_pass_on_a_time_booked_meanwhile(cast, schedule, settings):
    settings.CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE = 1
    join(cast.patient, schedule, minutes_ago=9)
    join(waiter(cast, "Ann"), schedule, minutes_ago=8)
    offer_freed_time(free(cast.second_patient, schedule).pk)
    booked(waiter(cast, "Bea"), schedule, FREED)
    ends = NOW + datetime.timedelta(minutes=120)
    with time_machine.travel(ends, tick=False):
        assert expire_offers(now=ends) == 1
    assert WaitlistOffer.objects.count() == 1


def test_the_first_to_accept_gets_the_time(cast, schedule, django_capture_on_commit_callbacks):
    join(cast.patient, schedule, minutes_ago=9, reason=REASON)
    ann = waiter(cast, "Ann")
    anns_entry = join(ann, schedule, minutes_ago=8)
    pats, anns = offer_and_send(
        django_capture_on_commit_callbacks, free(cast.second_patient, schedule)
    )
    mail.outbox.clear()
    later = NOW + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = answer(anns, accept_offer, now=later)
    assert (appointment.patient, appointment.starts_at, appointment.booked_as) == (
        ann,
        FREED,
        BookedAs.SELF,
    )
    assert (appointment.reason, appointment.status) == ("", AppointmentStatus.BOOKED)
    anns.refresh_from_db()
    anns_entry.refresh_from_db()
    assert (anns.status, anns.answered_at, anns.appointment) == (
        OfferStatus.ACCEPTED,
        later,
        appointment,
    )
    assert (anns_entry.status, anns_entry.ended_at) == (WaitlistStatus.BOOKED, later)
    pats.refresh_from_db()
    assert pats.status == OfferStatus.TAKEN
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("[Carebridge] You have a new appointment", ["ann@example.org"])
    ]
    with pytest.raises(ValidationError) as refused:
        answer(pats, accept_offer, now=later)
    assert refused.value.messages == [TAKEN]
    assert WaitlistEntry.objects.get(patient=cast.patient).status == WaitlistStatus.WAITING
    assert Appointment.objects.active().count() == 1
    events = AuditEvent.objects.filter(object_type__startswith="waitlist", action="update")
    events = events.order_by("sequence")
    assert [(e.actor, e.object_type, e.object_id) for e in events] == [
        (ann.user, "waitlist_offer", str(anns.pk)),
        (ann.user, "waitlist_entry", str(anns_entry.pk)),
    ]


def test_a_new_booking_keeps_the_reason_given_when_joining(cast, schedule):
    join(cast.patient, schedule, reason=REASON)
    (offer,) = offer_freed_time(free(cast.second_patient, schedule).pk)
    assert answer(offer, accept_offer).reason == REASON


def test_a_time_booked_by_someone_else_first_is_taken(cast, schedule):
    join(cast.patient, schedule)
    (offer,) = offer_freed_time(free(cast.second_patient, schedule).pk)
    ann = waiter(cast, "Ann")
    book_appointment(
        actor=ann.user,
        acting_as="self",
        patient=ann,
        visit_type=schedule.visit_type,
        practitioner=schedule.practitioner,
        location=schedule.location,
        starts_at=FREED,
        reason="",
    )
    with pytest.raises(ValidationError) as refused:
        answer(offer, accept_offer)
    assert refused.value.messages == [TAKEN]
    offer.refresh_from_db()
    assert offer.status == OfferStatus.TAKEN
    assert WaitlistEntry.objects.get().status == WaitlistStatus.WAITING


def test_an_expired_offer_cannot_be_accepted(cast, schedule):
    join(cast.patient, schedule)
    (offer,) = offer_freed_time(free(cast.second_patient, schedule).pk)
    with pytest.raises(ValidationError) as refused:
        answer(offer, accept_offer, now=offer.expires_at)
    assert refused.value.messages == ["This offer has ended. You are still on the waiting list."]
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert not Appointment.objects.active().exists()


def test_accepting_moves_the_linked_appointment_and_offers_its_old_time(
    cast, schedule, django_capture_on_commit_callbacks
):
    visit = booked(cast.patient, schedule, local(2026, 3, 12, 9), reason=REASON)
    join(cast.patient, schedule, minutes_ago=9, appointment=visit)
    (offer,) = offer_and_send(
        django_capture_on_commit_callbacks, free(cast.second_patient, schedule)
    )
    # Ann joins after the offer was made, to move her appointment of 12 March at 11.
    ann = waiter(cast, "Ann")
    join(ann, schedule, appointment=booked(ann, schedule, local(2026, 3, 12, 11)))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = answer(offer, accept_offer)
    visit.refresh_from_db()
    assert (moved.starts_at, moved.reason, moved.status) == (FREED, REASON, "booked")
    assert (visit.status, visit.cancel_reason) == (AppointmentStatus.CANCELLED, "Rescheduled")
    # Pat's old time, 12 March at 9, is earlier than Ann's appointment: it is offered to her.
    anns_offer = WaitlistOffer.objects.get(entry__patient=ann)
    assert anns_offer.starts_at == local(2026, 3, 12, 9)
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("[Carebridge] An appointment was moved", ["pat@example.org"]),
        ("[Carebridge] An earlier appointment time is available", ["ann@example.org"]),
    ]
    assert WaitlistEntry.objects.get(patient=cast.patient).status == WaitlistStatus.BOOKED


def test_accepting_withdraws_the_entrys_other_offers(cast, schedule):
    join(cast.patient, schedule)
    (first,) = offer_freed_time(free(cast.second_patient, schedule).pk)
    (second,) = offer_freed_time(free(cast.second_patient, schedule, local(2026, 3, 5, 10)).pk)
    answer(second, accept_offer)
    first.refresh_from_db()
    assert first.status == OfferStatus.DECLINED


def test_a_caregiver_answers_only_with_the_appointments_scope(cast, schedule):
    join(cast.patient, schedule)
    (offer,) = offer_freed_time(free(cast.second_patient, schedule).pk)
    results_only = factories.make_user(email="rhea.results@example.org")
    make_grant(cast.patient, results_only, granted_by=cast.patient_user, scopes=["results"])
    for service in (accept_offer, decline_offer):
        with pytest.raises(PermissionDenied):
            answer(offer, service, actor=results_only, acting_as=BookedAs.PROXY)
        with pytest.raises(PermissionDenied):
            answer(offer, service, actor=cast.second_patient_user)
    abe = cast.proxies.appointments_caregiver
    appointment = answer(offer, accept_offer, actor=abe, acting_as=BookedAs.PROXY)
    assert (appointment.booked_by, appointment.booked_as) == (abe, BookedAs.PROXY)


def test_cancelling_the_linked_appointment_ends_its_entry(cast, schedule):
    visit = booked(cast.patient, schedule, local(2026, 3, 12, 9))
    entry = join(cast.patient, schedule, appointment=visit)
    cancel_appointment(
        actor=cast.patient_user, acting_as="self", appointment=visit, reason="", now=NOW
    )
    offer_freed_time(visit.pk)
    entry.refresh_from_db()
    assert (entry.status, entry.ended_at) == (WaitlistStatus.LEFT, NOW)


def accept(offer: WaitlistOffer) -> object:
    return answer(offer, accept_offer)


@postgres_race("Concurrent answers")
def test_when_everyone_accepts_at_once_one_gets_the_time(frozen: object) -> None:
    clinic = factories.make_clinic(time_zone="America/New_York")
    schedule = make_schedule(clinic, name="Check-up")
    make_hours(schedule.practitioner, schedule.location, THURSDAY, "09:00", "12:00")
    people = [factories.make_patient(clinic, user=factories.make_user()) for _ in range(4)]
    for n, person in enumerate(people[1:]):
        join(person, schedule, minutes_ago=10 - n)
    offers = offer_freed_time(free(people[0], schedule).pk)
    assert len(offers) == 3
    outcomes = at_the_same_moment(accept, [(offer,) for offer in offers])
    won = [outcome for outcome in outcomes if isinstance(outcome, Appointment)]
    lost = [outcome for outcome in outcomes if isinstance(outcome, ValidationError)]
    assert (len(won), [error.messages for error in lost]) == (1, [[TAKEN], [TAKEN]])
    assert Appointment.objects.active().get() == won[0]
    statuses = sorted(WaitlistOffer.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "taken", "taken"]
    entries = sorted(WaitlistEntry.objects.values_list("status", flat=True))
    assert entries == ["booked", "waiting", "waiting"]


def test_the_appointment_jobs_command_passes_expired_offers_on(
    cast, schedule, settings, django_capture_on_commit_callbacks
):
    """`carebridge appointment-jobs`, run every few minutes, is what expires offers."""
    settings.CAREBRIDGE_WAITLIST_OFFERS_AT_ONCE = 1
    entries = [
        join(waiter(cast, name), schedule, minutes_ago=m) for name, m in (("Ann", 2), ("Bea", 1))
    ]
    offer_and_send(django_capture_on_commit_callbacks, free(cast.second_patient, schedule))
    output = io.StringIO()
    with (
        time_machine.travel(NOW + datetime.timedelta(minutes=120), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("appointment_jobs", stdout=output)
    assert output.getvalue() == "Reminders queued: 0. Waitlist offers expired: 1.\n"
    assert offered(entries) == ["Ann", "Bea"]
    assert [m.to[0] for m in mail.outbox] == ["ann@example.org", "bea@example.org"]
