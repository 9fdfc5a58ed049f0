"""The console's booking for a patient, the requests queue and answers, and blocked time."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import Appointment, BookedAs, RequestStatus, TimeOff
from carebridge.scheduling.tests.factories import local, make_schedule, make_time_off
from carebridge.staff.tests.schedule_setup import (  # noqa: F401
    NOW,
    Desk,
    frozen_clock,
    make_desk,
)
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

BOOK = reverse("staff:schedule-book")
REQUESTS = reverse("staff:schedule-requests")
BLOCK = reverse("staff:schedule-block")


@pytest.fixture
def setup(cast: Cast) -> Desk:
    return make_desk(cast)


def page_text(html: str) -> str:
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([:,.)])", r"\1", words)


def time_value(setup: Desk, starts_at: datetime.datetime) -> str:
    schedule = setup.schedule
    return f"{schedule.practitioner.pk}_{schedule.location.pk}_{starts_at.isoformat()}"


# Booking for a patient.


@pytest.mark.parametrize("text", ["patient", "RFC-1001"])
def test_staff_find_the_patient_by_name_or_record_number(setup: Desk, text: str) -> None:
    client = client_for(setup.cast.front_desk)
    posted = client.post(BOOK, {"action": "search", "q": text})
    response = client.get(BOOK)
    html = response.content.decode()
    assert (posted.status_code, posted["Location"]) == (302, BOOK)
    assert f"q={text}" not in html
    assert f'href="{BOOK}?patient={setup.cast.patient.pk}"' in html
    assert "Patient, Pat. Born March 14, 1956, MRN RFC-1001" in page_text(html)
    assert not mentions(page_text(html), "Sam")
    events = AuditEvent.objects.filter(object_type="patient_list", action="view")
    assert [event.patient for event in events] == [setup.cast.patient]


def test_choosing_a_patient_offers_every_kind_of_visit_and_its_free_times(setup: Desk) -> None:
    client = client_for(setup.cast.front_desk)
    chosen = client.get(BOOK, {"patient": setup.cast.patient.pk})
    html = chosen.content.decode()
    assert "Book for Pat Patient" in page_text(html)
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', html)
    assert [name for _, name in options if name in ("Check-up", "Minor surgery")] == [
        "Check-up",
        "Minor surgery",
    ]
    times = client.get(
        BOOK,
        {"patient": setup.cast.patient.pk, "visit_type": setup.surgery.pk, "date": "2026-03-09"},
    )
    text = page_text(times.content.decode())
    assert "Free times for Minor surgery (60 minutes)" in text
    assert "Monday, March 9, 2026 9:00 a.m., with Sam Okafor, MD at" in text
    assert f'value="{time_value(setup, local(2026, 3, 9, 9))}"' in times.content.decode()


def test_staff_book_a_request_only_visit_for_a_patient(
    setup: Desk, django_capture_on_commit_callbacks
) -> None:
    cast = setup.cast
    data = {
        "patient": str(cast.patient.pk),
        "visit_type": str(setup.surgery.pk),
        "time": time_value(setup, local(2026, 3, 9, 9)),
        "reason": "Mole on my back",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.front_desk).post(BOOK, data)
    visit = Appointment.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("staff:schedule-appointment", args=[visit.pk]),
    )
    assert flashed(response) == ["Booked. The patient has been sent a confirmation e-mail."]
    assert (visit.patient, visit.visit_type, visit.starts_at, visit.reason) == (
        cast.patient,
        setup.surgery,
        local(2026, 3, 9, 9),
        "Mole on my back",
    )
    assert (visit.booked_by, visit.booked_as) == (cast.front_desk, BookedAs.STAFF)
    assert [m.subject for m in mail.outbox] == ["[Carebridge] You have a new appointment"]
    body = mail.outbox[0].body
    for word in ("Mole", "Minor", "Okafor", "Main"):
        assert not mentions(body, word)


def test_a_time_just_taken_shows_why_and_the_next_times(setup: Desk) -> None:
    cast = setup.cast
    setup.book(cast.second_patient, local(2026, 3, 9, 9))
    data = {
        "patient": str(cast.patient.pk),
        "visit_type": str(setup.checkup.pk),
        "time": time_value(setup, local(2026, 3, 9, 9)),
        "reason": "",
    }
    response = client_for(cast.front_desk).post(BOOK, data)
    assert response.status_code == 200
    text = page_text(response.content.decode())
    assert "That time was just taken. Here are the next times available." in text
    assert "Next free times Monday, March 9, 9:30 a.m., with Sam Okafor, MD" in text
    assert Appointment.objects.count() == 1


def test_another_clinics_patient_cannot_be_booked(setup: Desk) -> None:
    stranger = factories.make_patient(setup.cast.other_clinic, given_name="Zed")
    client = client_for(setup.cast.front_desk)
    assert client.get(BOOK, {"patient": stranger.pk}).status_code == 404
    data = {
        "patient": str(stranger.pk),
        "visit_type": str(setup.checkup.pk),
        "time": time_value(setup, local(2026, 3, 9, 9)),
    }
    response = client.post(BOOK, data)
    assert "Choose the patient first." in response.content.decode()
    assert Appointment.objects.count() == 0


def test_another_clinics_visit_type_cannot_be_booked(setup: Desk) -> None:
    theirs = make_schedule(setup.cast.other_clinic)
    data = {
        "patient": str(setup.cast.patient.pk),
        "visit_type": str(theirs.visit_type.pk),
        "time": f"{theirs.practitioner.pk}_{theirs.location.pk}_{local(2026, 3, 9, 9).isoformat()}",
    }
    response = client_for(setup.cast.front_desk).post(BOOK, data)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{BOOK}?patient={setup.cast.patient.pk}",
    )
    assert Appointment.objects.count() == 0


# Requests.


def test_the_queue_lists_waiting_requests_oldest_first(setup: Desk) -> None:
    cast = setup.cast
    newer = setup.ask(cast.second_patient, cast.second_patient_user, reason="Wart")
    older = setup.ask(
        cast.patient,
        cast.proxies.full_caregiver,
        booked_as=BookedAs.PROXY,
        preferences="Tuesdays",
    )
    answered = setup.ask(cast.patient, cast.patient_user, status=RequestStatus.DECLINED)
    type(older).objects.filter(pk=older.pk).update(created_at=NOW - datetime.timedelta(days=2))
    other_clinic = factories.make_patient(cast.other_clinic, given_name="Zed")
    theirs = make_schedule(cast.other_clinic).visit_type
    type(older).objects.create(
        patient=other_clinic,
        visit_type=theirs,
        created_by=cast.other_clinic_admin,
        booked_as="self",
    )
    response = client_for(cast.nurse).get(REQUESTS)
    html = response.content.decode()
    links = re.findall(r'href="/staff/schedule/requests/([0-9a-f-]+)/"', html)
    assert links == [str(older.pk), str(newer.pk)]
    assert str(answered.pk) not in html
    text = page_text(html)
    assert "2 requests are waiting for an answer, oldest first." in text
    assert "Pat Patient: Minor surgery" in text
    assert "By Cora Caregiver (A caregiver or parent)" in text
    assert "Preferred times Tuesdays" in text
    assert "Reason Wart" in text
    assert not mentions(text, "Zed")


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_for_few_or_many_requests(setup: Desk) -> None:
    client = client_for(setup.cast.front_desk)
    client.get(REQUESTS)
    setup.ask(setup.cast.patient, setup.cast.patient_user)
    few = count_queries(client, REQUESTS)
    for n in range(30):
        setup.ask(setup.cast.second_patient, setup.cast.second_patient_user, reason=f"Why {n}")
    many = count_queries(client, REQUESTS)
    # The sign-in and permission checks, the count and the page, and the audit event.
    assert (few, many <= 22) == (many, True)


def test_approving_a_request_on_its_page(setup: Desk, django_capture_on_commit_callbacks) -> None:
    cast = setup.cast
    sent = setup.ask(cast.patient, cast.patient_user)
    url = reverse("staff:schedule-request", args=[sent.pk])
    client = client_for(cast.front_desk)
    page = client.get(url, {"date": "2026-03-09"})
    assert f'value="{time_value(setup, local(2026, 3, 9, 9))}"' in page.content.decode()
    assert "Reason Mole on my back" in page_text(page.content.decode())
    data = {
        "action": "approve",
        "time": time_value(setup, local(2026, 3, 9, 9)),
        "reply": "Please arrive 10 minutes early.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert (response.status_code, response["Location"]) == (302, REQUESTS)
    assert flashed(response) == ["Approved and booked. The patient has been sent an e-mail."]
    sent.refresh_from_db()
    assert sent.status == RequestStatus.APPROVED
    assert sent.appointment is not None
    assert sent.appointment.starts_at == local(2026, 3, 9, 9)
    assert len(mail.outbox) == 2


def test_approving_without_a_time_shows_an_error(setup: Desk) -> None:
    sent = setup.ask(setup.cast.patient, setup.cast.patient_user)
    url = reverse("staff:schedule-request", args=[sent.pk])
    response = client_for(setup.cast.front_desk).post(url, {"action": "approve", "reply": ""})
    assert response.status_code == 200
    assert "Choose one of the times." in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == RequestStatus.REQUESTED


def test_declining_needs_a_reply_which_the_patient_then_sees(
    setup: Desk, django_capture_on_commit_callbacks
) -> None:
    cast = setup.cast
    sent = setup.ask(cast.patient, cast.patient_user)
    url = reverse("staff:schedule-request", args=[sent.pk])
    client = client_for(cast.clinician)
    refused = client.post(url, {"action": "decline", "reply": ""})
    assert "Write a reply for the patient." in refused.content.decode()
    assert (refused.status_code, mail.outbox) == (200, [])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "decline", "reply": "Please see a dermatologist."})
    assert flashed(response) == ["Declined. The patient has been sent an e-mail."]
    sent.refresh_from_db()
    assert (sent.status, sent.staff_reply) == (
        RequestStatus.DECLINED,
        "Please see a dermatologist.",
    )
    assert [m.subject for m in mail.outbox] == [
        "[Carebridge] The clinic has answered your appointment request"
    ]
    own_page = client_for(cast.patient_user).get(reverse("scheduling:appointments"))
    text = page_text(own_page.content.decode())
    assert "Status Declined The clinic's reply Please see a dermatologist." in text


def test_an_answered_request_offers_no_more_answers(setup: Desk) -> None:
    sent = setup.ask(setup.cast.patient, setup.cast.patient_user)
    sent.status, sent.staff_reply = RequestStatus.DECLINED, "No."
    sent.save()
    url = reverse("staff:schedule-request", args=[sent.pk])
    client = client_for(setup.cast.front_desk)
    page = client.get(url).content.decode()
    assert "Decline the request" not in page
    client.post(url, {"action": "decline", "reply": "Again"})
    sent.refresh_from_db()
    assert sent.staff_reply == "No."


@pytest.mark.parametrize("persona", ["other_clinic_admin", "billing"])
def test_another_clinics_staff_and_billing_get_404_for_a_request(setup: Desk, persona: str) -> None:
    sent = setup.ask(setup.cast.patient, setup.cast.patient_user)
    url = reverse("staff:schedule-request", args=[sent.pk])
    client = client_for(getattr(setup.cast, persona))
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "decline", "reply": "No"}).status_code == 404
    sent.refresh_from_db()
    assert sent.status == RequestStatus.REQUESTED


# Blocked time.


def block_data(setup: Desk, **fields: str) -> dict[str, str]:
    return {
        "practitioner": str(setup.schedule.practitioner.pk),
        "location": "",
        "start_date": "2026-03-09",
        "start_time": "12:00",
        "end_date": "2026-03-09",
        "end_time": "13:30",
        "note": "Training",
    } | fields


def test_staff_block_a_clinicians_time_in_clinic_time(setup: Desk) -> None:
    response = client_for(setup.cast.front_desk).post(BLOCK, block_data(setup))
    assert (response.status_code, response["Location"]) == (302, BLOCK)
    assert flashed(response) == ["The time is blocked."]
    blocked = TimeOff.objects.get()
    assert (blocked.starts_at, blocked.ends_at, blocked.practitioner, blocked.note) == (
        local(2026, 3, 9, 12),
        local(2026, 3, 9, 13, 30),
        setup.schedule.practitioner,
        "Training",
    )
    listing = page_text(client_for(setup.cast.nurse).get(BLOCK).content.decode())
    assert (
        "Sam Okafor, MD: Monday, March 9, 2026, 12:00 p.m. to Monday, March 9, 2026, "
        "1:30 p.m. — Training" in listing
    )


def test_blocking_time_that_ends_first_is_refused(setup: Desk) -> None:
    response = client_for(setup.cast.front_desk).post(BLOCK, block_data(setup, end_time="11:00"))
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
    assert TimeOff.objects.count() == 0


def test_blocking_time_over_appointments_lists_them(setup: Desk) -> None:
    visit = setup.book(setup.cast.patient, local(2026, 3, 9, 12, 30))
    response = client_for(setup.cast.front_desk).post(BLOCK, block_data(setup, practitioner=""))
    html = response.content.decode()
    text = page_text(html)
    assert "Appointments are booked in this time. Move or cancel these first." in text
    assert "Monday, March 9, 12:30 p.m.: Pat Patient, with Sam Okafor, MD" in text
    assert reverse("staff:schedule-appointment", args=[visit.pk]) in html
    assert TimeOff.objects.count() == 0


def test_blocked_time_is_removed_after_confirming(setup: Desk) -> None:
    blocked = make_time_off(
        setup.cast.clinic, local(2026, 3, 9, 12), local(2026, 3, 9, 13), note="Training"
    )
    url = reverse("staff:schedule-block-remove", args=[blocked.pk])
    client = client_for(setup.cast.front_desk)
    confirm = client.get(url)
    assert "Remove blocked time?" in confirm.content.decode()
    assert TimeOff.objects.count() == 1
    response = client.post(url)
    assert (response.status_code, response["Location"]) == (302, BLOCK)
    assert TimeOff.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="time_off", action="delete").count() == 1


@pytest.mark.parametrize("persona", ["other_clinic_admin", "billing"])
def test_another_clinics_staff_and_billing_cannot_remove_blocked_time(
    setup: Desk, persona: str
) -> None:
    blocked = make_time_off(setup.cast.clinic, local(2026, 3, 9, 12), local(2026, 3, 9, 13))
    url = reverse("staff:schedule-block-remove", args=[blocked.pk])
    assert client_for(getattr(setup.cast, persona)).post(url).status_code == 404
    assert TimeOff.objects.count() == 1
