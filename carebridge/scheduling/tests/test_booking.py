"""Booking and cancelling: who may book what, when, and what is recorded and e-mailed.
"Now" is Wednesday, March 4, 2026, 10:00 a.m. in New York (15:00 UTC)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import Appointment, AppointmentStatus, OnlineBooking
from carebridge.scheduling.services import book_appointment, cancel_appointment
from carebridge.scheduling.tests.conftest import NOW
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_appointment,
    make_encounter,
    make_hours,
    make_schedule,
    utc,
)
from carebridge.testing.personas import Cast
from carebridge.testing.text import mentions

REASON = "Chest pain when I climb the stairs"
THURSDAY_9AM = local(2026, 3, 5, 9)


@pytest.fixture
def schedule(cast: Cast) -> Schedule:
    """Dr Okafor offers check-ups on Thursdays and Fridays, 9 to 12, at Pat's clinic."""
    s = make_schedule(cast.clinic, name="Heart check")
    for weekday in (3, 4):
        make_hours(s.practitioner, s.location, weekday, "09:00", "12:00")
    return s


@pytest.fixture
def book(cast: Cast, schedule: Schedule) -> Callable[..., Appointment]:
    """Pat books for herself at 9:00 a.m. on Thursday, unless told otherwise."""

    def book(**changes: Any) -> Appointment:
        arguments: dict[str, Any] = {
            "actor": cast.patient_user,
            "acting_as": "self",
            "patient": cast.patient,
            "visit_type": schedule.visit_type,
            "practitioner": schedule.practitioner,
            "location": schedule.location,
            "starts_at": THURSDAY_9AM,
            "reason": REASON,
        }
        return book_appointment(**(arguments | changes))

    return book


@pytest.fixture(autouse=True)
def base_url(settings: Any) -> None:
    settings.CAREBRIDGE_BASE_URL = "http://testserver"


def test_a_patient_books_a_free_time(
    cast: Cast,
    schedule: Schedule,
    book: Callable[..., Appointment],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book()

    saved = Appointment.objects.get()
    assert saved == appointment
    assert (saved.patient, saved.practitioner, saved.location, saved.visit_type) == (
        cast.patient,
        schedule.practitioner,
        schedule.location,
        schedule.visit_type,
    )
    assert (saved.starts_at, saved.ends_at) == (utc(2026, 3, 5, 14, 0), utc(2026, 3, 5, 14, 30))
    assert saved.status == AppointmentStatus.BOOKED
    assert saved.reason == REASON
    assert (saved.booked_by, saved.booked_as) == (cast.patient_user, "self")
    assert saved.created_at == NOW
    assert (saved.cancelled_at, saved.cancelled_by, saved.cancel_reason) == (None, None, "")


def test_booking_is_audited(cast: Cast, book: Callable[..., Appointment]) -> None:
    appointment = book()

    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id) == (
        "create",
        "appointment",
        str(appointment.pk),
    )
    assert (event.actor, event.patient, event.acting_as) == (
        cast.patient_user,
        cast.patient,
        "self",
    )


def test_the_confirmation_email_holds_no_health_information(
    cast: Cast,
    schedule: Schedule,
    book: Callable[..., Appointment],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        book()

    [email] = mail.outbox
    assert email.to == [cast.patient_user.email]
    assert email.subject == "[Carebridge] You have a new appointment"
    assert email.body == (
        "You have a new appointment on Thursday, March 5, 2026 at 9:00 a.m. EST.\n\n"
        f"Sign in to see the details:\n\nhttp://testserver{reverse('account_login')}\n"
    )
    for private in (REASON, "Heart", "Okafor", schedule.location.name):
        assert not mentions(email.subject + email.body, private)


def test_no_email_before_the_booking_is_committed(
    book: Callable[..., Appointment], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        book()

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_caregiver_with_the_appointments_scope_books_for_pat(
    cast: Cast, book: Callable[..., Appointment]
) -> None:
    abe = cast.proxies.appointments_caregiver

    appointment = book(actor=abe, acting_as="proxy")

    assert (appointment.booked_by, appointment.booked_as) == (abe, "proxy")
    event = AuditEvent.objects.get()
    assert (event.actor, event.patient, event.acting_as) == (abe, cast.patient, "proxy")


@pytest.mark.parametrize(
    ("persona", "acting_as"),
    [
        ("revoked_caregiver", "proxy"),
        ("expired_caregiver", "proxy"),
        ("appointments_caregiver", "self"),
        ("appointments_caregiver", "staff"),
    ],
)
def test_people_without_access_may_not_book(
    cast: Cast, book: Callable[..., Appointment], persona: str, acting_as: str
) -> None:
    with pytest.raises(PermissionDenied):
        book(actor=getattr(cast.proxies, persona), acting_as=acting_as)

    assert Appointment.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_another_patient_and_another_clinics_staff_may_not_book(
    cast: Cast, book: Callable[..., Appointment]
) -> None:
    with pytest.raises(PermissionDenied):
        book(actor=cast.second_patient_user, acting_as="self")
    with pytest.raises(PermissionDenied):
        book(actor=cast.other_clinic_admin, acting_as="staff")

    assert Appointment.objects.count() == 0


def test_only_a_practitioner_and_place_offering_the_type(
    schedule: Schedule, book: Callable[..., Appointment]
) -> None:
    make_hours(schedule.other_practitioner, schedule.location, 3, "09:00", "12:00")

    with pytest.raises(ValidationError) as not_this_clinician:
        book(practitioner=schedule.other_practitioner)
    with pytest.raises(ValidationError) as not_this_place:
        book(location=schedule.other_location)
    schedule.visit_type.is_active = False
    schedule.visit_type.save()
    with pytest.raises(ValidationError) as not_offered:
        book()

    assert not_this_clinician.value.messages == [
        "This clinician does not offer this kind of visit. Please choose another."
    ]
    assert not_this_place.value.messages == [
        "This kind of visit is not offered at this place. Please choose another."
    ]
    assert not_offered.value.messages == ["This kind of visit is not offered."]
    assert Appointment.objects.count() == 0


def test_a_type_for_established_patients_refuses_a_new_patient(
    schedule: Schedule, book: Callable[..., Appointment]
) -> None:
    schedule.visit_type.online_booking = OnlineBooking.ESTABLISHED
    schedule.visit_type.save()

    with pytest.raises(ValidationError) as refused:
        book()

    assert refused.value.code == "established_only"
    assert refused.value.messages == [
        "This kind of visit is for patients the clinic has seen before. "
        "Please choose a visit for new patients, or call the clinic."
    ]
    assert Appointment.objects.count() == 0


def test_a_visit_in_the_record_makes_a_patient_established(
    cast: Cast, schedule: Schedule, book: Callable[..., Appointment]
) -> None:
    schedule.visit_type.online_booking = OnlineBooking.ESTABLISHED
    schedule.visit_type.save()
    make_encounter(cast.patient)

    assert book().status == AppointmentStatus.BOOKED


def test_a_completed_appointment_makes_a_patient_established(
    cast: Cast, schedule: Schedule, book: Callable[..., Appointment]
) -> None:
    schedule.visit_type.online_booking = OnlineBooking.ESTABLISHED
    schedule.visit_type.save()
    make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 2, 5, 9),
        status=AppointmentStatus.COMPLETED,
    )

    assert book().starts_at == THURSDAY_9AM


def test_a_type_nobody_may_book_online_is_refused_to_patients(
    schedule: Schedule, book: Callable[..., Appointment]
) -> None:
    schedule.visit_type.online_booking = OnlineBooking.NOBODY
    schedule.visit_type.save()

    with pytest.raises(ValidationError) as refused:
        book()

    assert refused.value.messages == [
        "This kind of visit cannot be booked online. Please send a request instead."
    ]


@pytest.mark.parametrize("online_booking", [OnlineBooking.NOBODY, OnlineBooking.ESTABLISHED])
def test_staff_may_book_any_type(
    cast: Cast,
    schedule: Schedule,
    book: Callable[..., Appointment],
    online_booking: OnlineBooking,
) -> None:
    schedule.visit_type.online_booking = online_booking
    schedule.visit_type.save()

    appointment = book(actor=cast.front_desk, acting_as="staff")

    assert (appointment.booked_by, appointment.booked_as) == (cast.front_desk, "staff")
    assert AuditEvent.objects.get().acting_as == "staff"


@pytest.mark.parametrize(
    "starts_at",
    [
        # Outside the hours, off the half-hour steps, too soon, and past the latest lead time.
        local(2026, 3, 5, 13),
        local(2026, 3, 5, 9, 10),
        local(2026, 3, 4, 11),
        local(2026, 6, 4, 9),
    ],
)
def test_only_a_free_time_may_be_booked(
    book: Callable[..., Appointment], starts_at: datetime.datetime
) -> None:
    with pytest.raises(ValidationError) as refused:
        book(starts_at=starts_at)

    assert refused.value.code == "not_available"
    assert refused.value.messages == [
        "That time cannot be booked. Please choose one of the times shown."
    ]
    assert Appointment.objects.count() == 0


def test_a_time_without_a_time_zone_is_a_programming_error(
    book: Callable[..., Appointment],
) -> None:
    with pytest.raises(ValueError, match="aware"):
        book(starts_at=datetime.datetime(2026, 3, 5, 9, 0))


def test_a_booking_across_the_daylight_saving_change(
    schedule: Schedule, book: Callable[..., Appointment], django_capture_on_commit_callbacks: Any
) -> None:
    # Thursday, March 12, after the clocks went forward: 9:00 a.m. is 13:00 UTC.
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(starts_at=utc(2026, 3, 12, 13, 0))

    assert appointment.starts_at == local(2026, 3, 12, 9)
    assert "on Thursday, March 12, 2026 at 9:00 a.m. EDT." in mail.outbox[0].body


@pytest.fixture
def thursday_visit(cast: Cast, schedule: Schedule) -> Appointment:
    """Pat's check-up at 9:00 a.m. on Thursday: 23 hours from now, inside the 24-hour window."""
    return make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        THURSDAY_9AM,
        reason=REASON,
    )


@pytest.mark.parametrize("persona", ["patient", "caregiver"])
def test_patients_may_not_cancel_inside_the_window(
    cast: Cast, thursday_visit: Appointment, persona: str
) -> None:
    actor, acting_as = (
        (cast.patient_user, "self")
        if persona == "patient"
        else (cast.proxies.appointments_caregiver, "proxy")
    )

    with pytest.raises(ValidationError) as refused:
        cancel_appointment(
            actor=actor, acting_as=acting_as, appointment=thursday_visit, reason="", now=NOW
        )

    assert refused.value.messages == [
        "Appointments can be cancelled online until 24 hours before they start. "
        "To cancel now, please call the clinic on 555-0100."
    ]
    thursday_visit.refresh_from_db()
    assert thursday_visit.status == AppointmentStatus.BOOKED
    assert AuditEvent.objects.count() == 0


def test_patients_may_cancel_before_the_window(
    cast: Cast, thursday_visit: Appointment, django_capture_on_commit_callbacks: Any
) -> None:
    an_hour_earlier = NOW - datetime.timedelta(hours=1)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(
            actor=cast.patient_user,
            acting_as="self",
            appointment=thursday_visit,
            reason="I feel better",
            now=an_hour_earlier,
        )

    thursday_visit.refresh_from_db()
    assert thursday_visit.status == AppointmentStatus.CANCELLED
    assert thursday_visit.cancelled_at == an_hour_earlier
    assert thursday_visit.cancelled_by == cast.patient_user
    assert thursday_visit.cancel_reason == "I feel better"
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.acting_as) == (
        "update",
        "appointment",
        str(thursday_visit.pk),
        "self",
    )
    [email] = mail.outbox
    assert email.to == [cast.patient_user.email]
    assert email.subject == "[Carebridge] An appointment was cancelled"
    assert email.body == (
        "Your appointment on Thursday, March 5, 2026 at 9:00 a.m. EST has been cancelled.\n\n"
        f"Sign in to see the details:\n\nhttp://testserver{reverse('account_login')}\n"
    )
    assert REASON not in email.body
    assert "I feel better" not in email.body


def test_staff_may_cancel_at_any_time(cast: Cast, thursday_visit: Appointment) -> None:
    cancel_appointment(
        actor=cast.front_desk,
        acting_as="staff",
        appointment=thursday_visit,
        reason="Clinician unwell",
        now=NOW,
    )

    thursday_visit.refresh_from_db()
    assert thursday_visit.status == AppointmentStatus.CANCELLED
    assert thursday_visit.cancelled_by == cast.front_desk
    assert AuditEvent.objects.get().acting_as == "staff"


def test_a_cancelled_visit_cannot_be_cancelled_again(
    cast: Cast, thursday_visit: Appointment
) -> None:
    cancel_appointment(
        actor=cast.front_desk, acting_as="staff", appointment=thursday_visit, reason="", now=NOW
    )

    with pytest.raises(ValidationError) as refused:
        cancel_appointment(
            actor=cast.front_desk,
            acting_as="staff",
            appointment=thursday_visit,
            reason="",
            now=NOW,
        )

    assert refused.value.messages == ["This appointment can no longer be cancelled."]
    assert AuditEvent.objects.count() == 1


def test_a_cancelled_time_can_be_booked_again(
    cast: Cast, thursday_visit: Appointment, book: Callable[..., Appointment]
) -> None:
    cancel_appointment(
        actor=cast.front_desk, acting_as="staff", appointment=thursday_visit, reason="", now=NOW
    )

    assert book().starts_at == THURSDAY_9AM
    assert Appointment.objects.count() == 2
