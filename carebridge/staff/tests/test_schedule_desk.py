"""The desk's services: marking visits, answering requests, blocking time (`services.desk`)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    BookedAs,
    RequestStatus,
    TimeOff,
    TimeOffKind,
)
from carebridge.scheduling.services import desk
from carebridge.scheduling.services.booking import SlotTakenError
from carebridge.scheduling.tests.factories import local, make_time_off
from carebridge.staff.tests.schedule_setup import (  # noqa: F401
    NOW,
    Desk,
    frozen_clock,
    make_desk,
)
from carebridge.testing.personas import Cast
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

SIGN_IN = f"{settings.CAREBRIDGE_BASE_URL}/account/login/"


@pytest.fixture
def setup(cast: Cast) -> Desk:
    return make_desk(cast)


def events(object_type: str) -> list[tuple[str, str, str, object, str]]:
    rows = AuditEvent.objects.filter(object_type=object_type).order_by("sequence")
    return [
        (row.action, row.object_id, row.acting_as, row.patient_id, row.actor_label) for row in rows
    ]


# Marking the day's visits.


def test_marking_arrived_sets_the_status_the_time_and_who_and_is_audited(setup: Desk) -> None:
    cast = setup.cast
    visit = setup.book(cast.patient, local(2026, 3, 4, 10, 30))
    desk.mark_arrived(actor=cast.front_desk, appointment=visit, now=NOW)
    visit.refresh_from_db()
    assert (visit.status, visit.arrived_at, visit.status_changed_at) == ("arrived", NOW, NOW)
    assert visit.status_changed_by == cast.front_desk
    assert events("appointment") == [
        ("update", str(visit.pk), "staff", cast.patient.pk, "Fran Frontdesk")
    ]


@pytest.mark.parametrize(
    ("status", "shown"),
    [("arrived", "Checked in"), ("completed", "Attended"), ("cancelled", "Cancelled")],
)
def test_only_a_booked_appointment_can_be_marked_arrived(
    setup: Desk, status: str, shown: str
) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 10, 30), status=status)
    with pytest.raises(ValidationError) as refusal:
        desk.mark_arrived(actor=setup.cast.front_desk, appointment=visit, now=NOW)
    assert refusal.value.messages == [
        f"Only a booked appointment can be marked arrived. This one is: {shown}."
    ]
    visit.refresh_from_db()
    assert (visit.status, visit.arrived_at, events("appointment")) == (status, None, [])


@pytest.mark.parametrize("status", ["booked", "arrived"])
def test_a_booked_or_checked_in_appointment_can_be_marked_attended(
    setup: Desk, status: str
) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 9), status=status)
    desk.mark_completed(actor=setup.cast.nurse, appointment=visit, now=NOW)
    visit.refresh_from_db()
    assert (visit.status, visit.status_changed_by) == ("completed", setup.cast.nurse)
    assert [row[:3] for row in events("appointment")] == [("update", str(visit.pk), "staff")]


@pytest.mark.parametrize("status", ["no_show", "cancelled", "completed"])
def test_marking_attended_is_refused_after_it_was_missed_cancelled_or_attended(
    setup: Desk, status: str
) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 9), status=status)
    with pytest.raises(ValidationError) as refusal:
        desk.mark_completed(actor=setup.cast.nurse, appointment=visit, now=NOW)
    assert refusal.value.messages[0].startswith(
        "Only a booked or checked-in appointment can be marked attended."
    )
    assert Appointment.objects.get(pk=visit.pk).status == status


def test_a_no_show_can_be_marked_only_once_the_start_has_passed(setup: Desk) -> None:
    later = setup.book(setup.cast.patient, local(2026, 3, 4, 10, 30))
    with pytest.raises(ValidationError) as refusal:
        desk.mark_no_show(actor=setup.cast.front_desk, appointment=later, now=NOW)
    assert refusal.value.messages == [
        "An appointment can be marked missed only once its start time has passed."
    ]
    earlier = setup.book(setup.cast.patient, local(2026, 3, 4, 9))
    desk.mark_no_show(actor=setup.cast.front_desk, appointment=earlier, now=NOW)
    assert Appointment.objects.get(pk=earlier.pk).status == "no_show"
    assert Appointment.objects.get(pk=later.pk).status == "booked"
    assert [row[1] for row in events("appointment")] == [str(earlier.pk)]


def test_a_checked_in_patient_cannot_be_marked_missed(setup: Desk) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 9), status="arrived")
    with pytest.raises(ValidationError) as refusal:
        desk.mark_no_show(actor=setup.cast.front_desk, appointment=visit, now=NOW)
    assert refusal.value.messages == [
        "Only a booked appointment can be marked missed. This one is: Checked in."
    ]


@pytest.mark.parametrize("persona", ["billing", "other_clinic_admin", "patient_user"])
def test_only_the_clinics_schedule_staff_may_mark_visits(setup: Desk, persona: str) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 4, 9))
    for mark in (desk.mark_arrived, desk.mark_completed, desk.mark_no_show):
        with pytest.raises(PermissionDenied):
            mark(actor=getattr(setup.cast, persona), appointment=visit, now=NOW)
    assert (Appointment.objects.get(pk=visit.pk).status, events("appointment")) == ("booked", [])


# Answering requests.

ANSWERED_SUBJECT = "[Carebridge] The clinic has answered your appointment request"
ANSWERED_BODY = (
    f"The clinic has answered your appointment request. Sign in to see the answer:\n\n{SIGN_IN}\n"
)


def assert_no_health_information(setup: Desk, text: str) -> None:
    for word in ("Mole", "Minor", "surgery", "Okafor", "Mornings", "Main"):
        assert not mentions(text, word), word


def test_approving_books_the_visit_as_staff_and_answers_the_request(
    setup: Desk, django_capture_on_commit_callbacks
) -> None:
    cast = setup.cast
    sent = setup.ask(cast.patient, cast.patient_user)
    schedule = setup.schedule
    with django_capture_on_commit_callbacks(execute=True):
        desk.approve_request(
            actor=cast.front_desk,
            appointment_request=sent,
            practitioner=schedule.practitioner,
            location=schedule.location,
            starts_at=local(2026, 3, 9, 9),
            reply="See you then. Please do not eat beforehand.",
        )
    sent.refresh_from_db()
    visit = sent.appointment
    assert visit is not None
    assert (sent.status, sent.staff_reply) == (
        RequestStatus.APPROVED,
        "See you then. Please do not eat beforehand.",
    )
    assert (visit.visit_type, visit.starts_at, visit.ends_at, visit.status) == (
        setup.surgery,
        datetime.datetime(2026, 3, 9, 13, 0, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 9, 14, 0, tzinfo=datetime.UTC),
        AppointmentStatus.BOOKED,
    )
    assert (visit.reason, visit.booked_by, visit.booked_as) == (
        "Mole on my back",
        cast.front_desk,
        BookedAs.STAFF,
    )
    assert events("appointment") == [
        ("create", str(visit.pk), "staff", cast.patient.pk, "Fran Frontdesk")
    ]
    assert events("appointment_request") == [
        ("update", str(sent.pk), "staff", cast.patient.pk, "Fran Frontdesk")
    ]
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        (
            "[Carebridge] You have a new appointment",
            "You have a new appointment on Monday, March 9, 2026 at 9:00 a.m. EDT.\n\n"
            f"Sign in to see the details:\n\n{SIGN_IN}\n",
            ["pat@example.org"],
        ),
        (ANSWERED_SUBJECT, ANSWERED_BODY, ["pat@example.org"]),
    ]
    for message in mail.outbox:
        assert_no_health_information(setup, message.subject + message.body)


def test_approving_a_time_just_taken_leaves_the_request_waiting(
    setup: Desk, django_capture_on_commit_callbacks
) -> None:
    cast = setup.cast
    setup.book(cast.second_patient, local(2026, 3, 9, 9, 30))
    sent = setup.ask(cast.patient, cast.patient_user)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(SlotTakenError) as taken:
        desk.approve_request(
            actor=cast.front_desk,
            appointment_request=sent,
            practitioner=setup.schedule.practitioner,
            location=setup.schedule.location,
            starts_at=local(2026, 3, 9, 9),
            reply="",
        )
    assert [slot.starts_at for slot in taken.value.next_slots] == [
        local(2026, 3, 9, 10),
        local(2026, 3, 9, 11),
        local(2026, 3, 9, 12),
    ]
    sent.refresh_from_db()
    assert (sent.status, sent.appointment, sent.staff_reply) == ("requested", None, "")
    assert (mail.outbox, events("appointment_request")) == ([], [])


def test_declining_needs_a_reply_and_answers_the_request(
    setup: Desk, django_capture_on_commit_callbacks
) -> None:
    cast = setup.cast
    sent = setup.ask(cast.patient, cast.patient_user)
    with pytest.raises(ValidationError) as refusal:
        desk.decline_request(actor=cast.nurse, appointment_request=sent, reply="   ")
    assert refusal.value.messages == [
        "Write a reply for the patient saying why, and what they can do instead."
    ]
    with django_capture_on_commit_callbacks(execute=True):
        desk.decline_request(
            actor=cast.nurse, appointment_request=sent, reply="Please see your GP first."
        )
    sent.refresh_from_db()
    assert (sent.status, sent.staff_reply, sent.appointment) == (
        RequestStatus.DECLINED,
        "Please see your GP first.",
        None,
    )
    assert events("appointment_request") == [
        ("update", str(sent.pk), "staff", cast.patient.pk, "Nora Nurse")
    ]
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        (ANSWERED_SUBJECT, ANSWERED_BODY, ["pat@example.org"])
    ]
    assert not mentions(mail.outbox[0].body, "GP")


def test_a_request_is_answered_once(setup: Desk) -> None:
    cast = setup.cast
    sent = setup.ask(cast.patient, cast.patient_user)
    desk.decline_request(actor=cast.nurse, appointment_request=sent, reply="No.")
    with pytest.raises(ValidationError) as refusal:
        desk.decline_request(actor=cast.front_desk, appointment_request=sent, reply="Again")
    assert refusal.value.messages == ["This request has already been answered."]
    with pytest.raises(ValidationError):
        desk.approve_request(
            actor=cast.front_desk,
            appointment_request=sent,
            practitioner=setup.schedule.practitioner,
            location=setup.schedule.location,
            starts_at=local(2026, 3, 9, 9),
            reply="",
        )
    assert Appointment.objects.count() == 0
    assert len(events("appointment_request")) == 1


def test_billing_may_not_answer_requests(setup: Desk) -> None:
    sent = setup.ask(setup.cast.patient, setup.cast.patient_user)
    with pytest.raises(PermissionDenied):
        desk.decline_request(actor=setup.cast.billing, appointment_request=sent, reply="No")
    with pytest.raises(PermissionDenied):
        desk.decline_request(
            actor=setup.cast.other_clinic_admin, appointment_request=sent, reply="No"
        )
    sent.refresh_from_db()
    assert sent.status == "requested"


# Blocking time.


def block(setup: Desk, starts_at: datetime.datetime, ends_at: datetime.datetime, **kw) -> TimeOff:
    fields = {"practitioner": setup.schedule.practitioner, "location": None, "note": "Training"}
    return desk.block_time(
        actor=setup.cast.front_desk,
        clinic=setup.cast.clinic,
        starts_at=starts_at,
        ends_at=ends_at,
        **(fields | kw),
    )


def test_blocking_time_creates_blocked_time_and_is_audited(setup: Desk) -> None:
    blocked = block(setup, local(2026, 3, 5, 12), local(2026, 3, 5, 14))
    assert (blocked.kind, blocked.practitioner, blocked.note, blocked.clinic) == (
        TimeOffKind.BLOCKED,
        setup.schedule.practitioner,
        "Training",
        setup.cast.clinic,
    )
    assert events("time_off") == [("create", str(blocked.pk), "staff", None, "Fran Frontdesk")]


@pytest.mark.parametrize("minutes", [0, -30])
def test_blocking_time_that_ends_before_it_starts_is_refused(setup: Desk, minutes: int) -> None:
    start = local(2026, 3, 5, 12)
    with pytest.raises(ValidationError) as refusal:
        block(setup, start, start + datetime.timedelta(minutes=minutes))
    assert refusal.value.messages == ["The end must be after the start."]
    assert (TimeOff.objects.count(), events("time_off")) == (0, [])


def test_blocking_time_over_booked_appointments_is_refused_and_lists_them(setup: Desk) -> None:
    cast = setup.cast
    inside = setup.book(cast.patient, local(2026, 3, 5, 13))
    setup.book(cast.second_patient, local(2026, 3, 5, 14), status="cancelled")
    setup.book(cast.second_patient, local(2026, 3, 5, 15))
    with pytest.raises(desk.AppointmentsInTheWayError) as refusal:
        block(setup, local(2026, 3, 5, 12), local(2026, 3, 5, 14, 30))
    assert refusal.value.messages == [
        "Appointments are booked in this time. Move or cancel these first."
    ]
    assert refusal.value.appointments == [inside]
    assert TimeOff.objects.count() == 0


def test_the_whole_clinic_is_blocked_around_anyones_appointment_at_that_place(
    setup: Desk,
) -> None:
    setup.book(setup.cast.patient, local(2026, 3, 5, 13))
    elsewhere = {"practitioner": None, "location": setup.schedule.other_location}
    blocked = block(setup, local(2026, 3, 5, 12), local(2026, 3, 5, 14), **elsewhere)
    assert blocked.practitioner is None
    with pytest.raises(desk.AppointmentsInTheWayError):
        block(setup, local(2026, 3, 5, 12), local(2026, 3, 5, 14), practitioner=None)


def test_blocked_time_can_be_removed_but_a_holiday_only_by_an_administrator(
    setup: Desk,
) -> None:
    blocked = block(setup, local(2026, 3, 5, 12), local(2026, 3, 5, 14))
    blocked_id = blocked.pk
    desk.remove_blocked_time(actor=setup.cast.nurse, time_off=blocked)
    assert not TimeOff.objects.filter(pk=blocked_id).exists()
    assert [row[:2] for row in events("time_off")] == [
        ("create", str(blocked_id)),
        ("delete", str(blocked_id)),
    ]
    holiday = make_time_off(
        setup.cast.clinic, local(2026, 4, 3, 0), local(2026, 4, 4, 0), kind=TimeOffKind.HOLIDAY
    )
    with pytest.raises(ValidationError) as refusal:
        desk.remove_blocked_time(actor=setup.cast.nurse, time_off=holiday)
    assert refusal.value.messages == ["Only a clinic administrator can remove a holiday."]
    assert TimeOff.objects.filter(pk=holiday.pk).exists()
    desk.remove_blocked_time(actor=setup.cast.clinic_admin, time_off=holiday)
    assert not TimeOff.objects.filter(pk=holiday.pk).exists()


def test_billing_and_other_clinics_may_not_block_time(setup: Desk) -> None:
    for persona in ("billing", "other_clinic_admin"):
        with pytest.raises(PermissionDenied):
            desk.block_time(
                actor=getattr(setup.cast, persona),
                clinic=setup.cast.clinic,
                practitioner=None,
                location=None,
                starts_at=local(2026, 3, 5, 12),
                ends_at=local(2026, 3, 5, 13),
                note="",
            )
    assert TimeOff.objects.count() == 0
