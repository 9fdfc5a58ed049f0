"""Moving an appointment: the service (one transaction, the window, a time just taken, the
audit, one e-mail) and its page (times, confirm, refusal)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import Appointment, AppointmentStatus, BookedAs
from carebridge.scheduling.services import SlotTakenError, reschedule_appointment
from carebridge.scheduling.tests.booked import in_hours
from carebridge.scheduling.tests.factories import local, make_appointment, make_hours, make_schedule
from carebridge.scheduling.tests.pages import words
from carebridge.testing.clients import flashed

pytestmark = pytest.mark.django_db

THURSDAY = 3
REASON = "Sore knee; worse on stairs"


@pytest.fixture
def schedule(cast):
    """Dr Okafor's check-ups, Thursdays 9 to 10:00 a.m."""
    schedule = make_schedule(cast.clinic, name="Check-up")
    make_hours(schedule.practitioner, schedule.location, THURSDAY, "09:00", "10:00")
    return schedule


@pytest.fixture
def visit(cast, schedule) -> Appointment:
    """Pat's check-up next Thursday at 9, booked by Pat."""
    return make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 12, 9),
        reason=REASON,
        booked_as=BookedAs.SELF,
        booked_by=cast.patient_user,
    )


def move(cast, visit, schedule, starts_at, **changes):
    arguments = {
        "actor": cast.patient_user,
        "acting_as": "self",
        "appointment": visit,
        "starts_at": starts_at,
        "practitioner": schedule.practitioner,
        "location": schedule.location,
    }
    return reschedule_appointment(**(arguments | changes))


def audit() -> list[tuple]:
    rows = AuditEvent.objects.filter(object_type="appointment").order_by("sequence")
    return [(e.actor.email, e.acting_as, e.action, e.object_id) for e in rows]


def test_the_new_time_is_booked_and_the_old_one_cancelled(cast, visit, schedule):
    new = move(cast, visit, schedule, local(2026, 3, 5, 9, 30))
    visit.refresh_from_db()
    assert (new.starts_at, new.status, new.reason, new.booked_as, new.booked_by) == (
        local(2026, 3, 5, 9, 30),
        AppointmentStatus.BOOKED,
        REASON,
        BookedAs.SELF,
        cast.patient_user,
    )
    assert (visit.status, visit.cancel_reason, visit.cancelled_by) == (
        AppointmentStatus.CANCELLED,
        "Rescheduled",
        cast.patient_user,
    )
    assert audit() == [
        ("pat@example.org", "self", "create", str(new.pk)),
        ("pat@example.org", "self", "update", str(visit.pk)),
    ]


def test_one_email_without_health_information(
    cast, visit, schedule, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(cast, visit, schedule, local(2026, 3, 5, 9, 30))
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("[Carebridge] An appointment was moved", ["pat@example.org"])
    ]
    assert mail.outbox[0].body == (
        "Your appointment has been moved to Thursday, March 5, 2026 at 9:30 a.m. EST.\n\n"
        "Sign in to see the details:\n\nhttp://127.0.0.1:8000/account/login/\n"
    )


def test_a_time_just_taken_leaves_the_old_appointment_as_it_was(cast, visit, schedule):
    make_appointment(
        cast.second_patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 5, 9),
    )
    with pytest.raises(SlotTakenError) as taken:
        move(cast, visit, schedule, local(2026, 3, 5, 9))
    assert [slot.starts_at for slot in taken.value.next_slots] == [
        local(2026, 3, 5, 9, 30),
        # The old appointment's own time is free again once it is moved.
        local(2026, 3, 12, 9),
        local(2026, 3, 12, 9, 30),
    ]
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED
    assert Appointment.objects.filter(patient=cast.patient).count() == 1
    assert (audit(), mail.outbox) == ([], [])


def test_not_inside_the_cancellation_window(cast, visit, schedule):
    with (
        time_machine.travel(in_hours(visit, 23), tick=False),
        pytest.raises(ValidationError) as refused,
    ):
        move(cast, visit, schedule, local(2026, 3, 19, 9))
    assert refused.value.code == "too_late_to_cancel"
    assert refused.value.messages == [
        "Appointments can be moved online until 24 hours before they start. "
        "To move it now, please call the clinic on 555-0100."
    ]
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED
    assert Appointment.objects.count() == 1


def test_a_cancelled_appointment_cannot_be_moved(cast, visit, schedule):
    visit.status = AppointmentStatus.CANCELLED
    visit.save()
    with pytest.raises(ValidationError) as refused:
        move(cast, visit, schedule, local(2026, 3, 5, 9))
    assert refused.value.code == "not_cancellable"
    assert refused.value.messages == ["This appointment can no longer be moved."]
    assert Appointment.objects.count() == 1


def test_only_those_who_may_act_for_the_patient(cast, visit, schedule):
    with pytest.raises(PermissionDenied):
        move(cast, visit, schedule, local(2026, 3, 5, 9), actor=cast.second_patient_user)
    with pytest.raises(PermissionDenied):
        move(
            cast,
            visit,
            schedule,
            local(2026, 3, 5, 9),
            actor=cast.proxies.revoked_caregiver,
            acting_as="proxy",
        )
    assert Appointment.objects.count() == 1


def test_abe_moves_pats_appointment_as_a_proxy(cast, visit, schedule):
    abe = cast.proxies.appointments_caregiver
    new = move(cast, visit, schedule, local(2026, 3, 5, 9), actor=abe, acting_as="proxy")
    assert (new.booked_as, new.booked_by) == (BookedAs.PROXY, abe)


def page(visit, **params) -> str:
    url = reverse("scheduling:appointment-reschedule", args=[visit.pk])
    return url + ("?" + urlencode(params) if params else "")


def time_of(schedule, starts_at) -> str:
    return f"{schedule.practitioner.pk}_{schedule.location.pk}_{starts_at.isoformat()}"


def test_the_page_shows_the_times_of_the_same_kind_of_visit(patient_client, visit, schedule):
    html = patient_client.get(page(visit)).content.decode()
    assert "<h1>Choose a new time</h1>" in html
    assert "Check-up (30 minutes), now booked for 9:00 a.m. on Thursday, March 12, 2026." in words(
        html
    )
    form = html.split(f'action="{page(visit)}"', 1)[1].split("</form>", 1)[0]
    assert words(form.split("<fieldset", 2)[1]).startswith(
        'class="field"> Thursday, March 5, 2026 9:00 a.m. , with Sam Okafor, MD'
    )


def test_confirm_then_move(cast, patient_client, visit, schedule):
    chosen = time_of(schedule, local(2026, 3, 5, 9, 30))
    html = patient_client.get(page(visit, time=chosen)).content.decode()
    assert "<h1>Move the appointment to this time?</h1>" in html
    assert Appointment.objects.count() == 1
    response = patient_client.post(page(visit), {"time": chosen})
    new = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert (response.status_code, response["Location"]) == (302, f"/appointments/{new.pk}/")
    assert flashed(response) == ["The appointment is moved. We have sent an e-mail about it."]
    assert new.starts_at == local(2026, 3, 5, 9, 30)


def test_the_page_offers_the_next_times_when_one_was_just_taken(
    cast, patient_client, visit, schedule
):
    make_appointment(
        cast.second_patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 5, 9),
    )
    response = patient_client.post(page(visit), {"time": time_of(schedule, local(2026, 3, 5, 9))})
    assert "<h1>That time was just taken</h1>" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED


def test_inside_the_window_the_page_says_why(cast, act_as, visit):
    with time_machine.travel(in_hours(visit, 2), tick=False):
        html = act_as(cast.patient_user, None).get(page(visit)).content.decode()
    assert "<h1>This appointment cannot be moved online</h1>" in html
    assert "To move it now, please call the clinic on 555-0100." in html
    assert "To cancel now" not in html
    assert 'href="tel:555-0100"' in html
