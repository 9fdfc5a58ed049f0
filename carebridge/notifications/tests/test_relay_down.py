"""With the mail relay down, the portal still works: booking, cancelling (the freed time is
still offered to the waiting list), writing a message and signing in from a new browser each
answer their normal page, and their notices wait in the outbox. Once the relay is back, the
sweep delivers each exactly once.

Runs with real commits (a transactional test), so after-commit work runs inside each request
as it does in production."""

from __future__ import annotations

import datetime
import random

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from carebridge.accounts.tests.sign_in_steps import sign_in
from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam
from carebridge.messaging.tests.test_pages import compose_data
from carebridge.notifications.models import Notice, NoticeStatus
from carebridge.notifications.services.delivery import deliver_due_notices
from carebridge.scheduling.models import Appointment, OfferStatus, WaitlistOffer
from carebridge.scheduling.services import join_waitlist
from carebridge.scheduling.tests.factories import local, make_hours, make_schedule
from carebridge.testing.clients import client_for

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
THURSDAY = 3
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def book(client: Client, schedule) -> Appointment:
    client.post(
        reverse("scheduling:book"), {"visit_type": schedule.visit_type.pk, "reason": "Knee"}
    )
    time = f"{schedule.practitioner.pk}_{schedule.location.pk}_{local(2026, 3, 5, 9).isoformat()}"
    data = {"visit_type": schedule.visit_type.pk, "time": time}
    response = client.post(reverse("scheduling:book-confirm"), data)
    visit = Appointment.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/appointments/{visit.pk}/")
    return visit


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_relay_down_every_action_works_and_its_notices_arrive_later(
    frozen, cast, relay_down, settings, monkeypatch
):
    monkeypatch.setattr(random, "uniform", lambda low, high: low)
    schedule = make_schedule(cast.clinic, name="Check-up")
    make_hours(schedule.practitioner, schedule.location, THURSDAY, "09:00", "10:00")
    # Tomorrow's visit may still be cancelled online.
    schedule.visit_type.cancel_before_hours = 2
    schedule.visit_type.save(update_fields=["cancel_before_hours"])
    sam = cast.second_patient
    join_waitlist(
        actor=cast.second_patient_user,
        acting_as="self",
        patient=sam,
        visit_type=schedule.visit_type,
    )
    team = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    team.members.add(StaffMember.objects.get(user=cast.nurse))
    pat = client_for(cast.patient_user)

    visit = book(pat, schedule)
    cancelled = pat.post(reverse("scheduling:appointment-cancel", args=[visit.pk]), {"reason": ""})
    assert (cancelled.status_code, cancelled["Location"]) == (302, f"/appointments/{visit.pk}/")
    assert WaitlistOffer.objects.get().status == OfferStatus.OPEN
    written = pat.post("/messages/new/", compose_data(team))
    assert written.status_code == 302
    assert written["Location"].startswith("/messages/")
    signed_in = sign_in(
        Client(headers={"User-Agent": "Firefox on the kitchen laptop"}), "pat@example.org"
    )
    assert signed_in.status_code == 302

    waiting = [
        (n.kind, n.to_address, n.status, n.attempts, n.next_attempt_at, n.last_error)
        for n in Notice.objects.order_by("pk")
    ]
    retry_at = NOW + datetime.timedelta(minutes=1)
    down = (NoticeStatus.QUEUED, 1, retry_at, "ConnectionRefusedError")
    assert waiting == [
        ("appointment", "pat@example.org", *down),
        ("appointment", "pat@example.org", *down),
        ("waitlist", "sam@example.org", *down),
        ("message", cast.nurse.email, *down),
        ("security", "pat@example.org", *down),
    ]
    assert mail.outbox == []

    # The relay is back; the sweep two minutes later delivers each notice once.
    settings.EMAIL_BACKEND = LOCMEM
    frozen.move_to(NOW + datetime.timedelta(minutes=2))
    assert deliver_due_notices() == 5
    assert deliver_due_notices() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["pat@example.org"], "[Carebridge] You have a new appointment"),
        (["pat@example.org"], "[Carebridge] An appointment was cancelled"),
        (["sam@example.org"], "[Carebridge] An earlier appointment time is available"),
        ([cast.nurse.email], "[Carebridge] New message in a team inbox"),
        (["pat@example.org"], "[Carebridge] New sign-in to your account"),
    ]
    assert set(Notice.objects.values_list("status", "body")) == {(NoticeStatus.SENT, "")}
    # The reason for the visit and the message's words stay behind the sign-in.
    private = ("Knee", "Rash", "Line one")
    assert [m.subject for m in mail.outbox if any(w in m.body for w in private)] == []
