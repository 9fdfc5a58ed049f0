"""The waiting list's pages: joining from the times page and from an appointment, the list on
the appointments page with "Take me off the list", and the offer page (accept, no thanks);
another patient's entry or offer is a 404, and the page's queries do not grow with the list."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.ics import address_words
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    OfferStatus,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from carebridge.scheduling.services import join_waitlist, offer_freed_time
from carebridge.scheduling.tests.conftest import NOW
from carebridge.scheduling.tests.factories import local, make_appointment, make_hours, make_schedule
from carebridge.scheduling.tests.pages import words
from carebridge.scheduling.views.booking import BOOKING_SESSION_KEY
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.proxy_personas import make_grant

pytestmark = pytest.mark.django_db

PAGE = reverse("scheduling:appointments")
BOOK = reverse("scheduling:book")
JOIN = reverse("scheduling:waitlist-join")
REASON = "Sore knee; worse on stairs"
THURSDAY = 3
FREED = local(2026, 3, 5, 9)
TAKEN = "Someone else accepted this time first. You are still on the waiting list."
BUDGET = 30


@pytest.fixture
def schedule(cast):
    """Dr Okafor's check-ups at the Main Street office, Thursdays 9 to 12."""
    schedule = make_schedule(cast.clinic, name="Check-up")
    make_hours(schedule.practitioner, schedule.location, THURSDAY, "09:00", "12:00")
    return schedule


def booked(patient, schedule, starts_at, **fields: Any) -> Appointment:
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    return make_appointment(patient, *visit, starts_at, **fields)


def join(cast, schedule, **changes: Any) -> WaitlistEntry:
    arguments = {
        "actor": cast.patient_user,
        "acting_as": "self",
        "patient": cast.patient,
        "visit_type": schedule.visit_type,
    }
    return join_waitlist(**(arguments | changes))


def offer_to_pat(cast, schedule, **changes: Any) -> WaitlistOffer:
    """Pat on the list; Sam's appointment of Thursday at 9 cancelled and offered to her."""
    join(cast, schedule, **changes)
    sams = booked(cast.second_patient, schedule, FREED, status=AppointmentStatus.CANCELLED)
    (offer,) = offer_freed_time(sams.pk)
    return offer


def offer_url(offer: WaitlistOffer) -> str:
    return reverse("scheduling:waitlist-offer", args=[offer.pk])


def section(html: str, heading_id: str) -> str:
    return words(html.split(f'id="{heading_id}">', 1)[1].split("</section>", 1)[0])


def facts(html: str) -> str:
    return words(re.search(r'<dl class="facts">(.*?)</dl>', html, re.S).group(1))


# Joining.


def test_the_times_page_offers_the_waiting_list(cast, patient_client, schedule):
    patient_client.post(BOOK, {"visit_type": schedule.visit_type.pk, "reason": REASON})
    html = patient_client.get(reverse("scheduling:book-times"), {"type": schedule.visit_type.pk})
    link = f'<a href="{JOIN}?type={schedule.visit_type.pk}">'
    assert f"{link}None of these times suit me? Join the waiting list</a>" in html.content.decode()


def test_joining_for_a_new_booking_keeps_the_reason_in_the_session(cast, patient_client, schedule):
    patient_client.post(BOOK, {"visit_type": schedule.visit_type.pk, "reason": REASON})
    url = f"{JOIN}?type={schedule.visit_type.pk}"
    page = patient_client.get(url)
    assert page.status_code == 200
    assert facts(page.content.decode()) == f"Reason {REASON}"
    response = patient_client.post(url, {"practitioner": "", "location": schedule.location.pk})
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert flashed(response) == ["You are on the waiting list. We will e-mail you if a time opens."]
    entry = WaitlistEntry.objects.get()
    assert (entry.reason, entry.practitioner, entry.location, entry.appointment) == (
        REASON,
        None,
        schedule.location,
        None,
    )
    assert (entry.created_by, entry.booked_as) == (cast.patient_user, "self")
    assert BOOKING_SESSION_KEY not in patient_client.session
    assert "knee" not in url + response["Location"]


def test_joining_again_says_so_on_the_page(cast, patient_client, schedule):
    join(cast, schedule)
    url = f"{JOIN}?type={schedule.visit_type.pk}"
    response = patient_client.post(url, {"practitioner": "", "location": ""})
    assert response.status_code == 200
    summary = "There is a problem You are already on the waiting list for this. With"
    assert summary in words(response.content.decode())
    assert WaitlistEntry.objects.count() == 1


def test_joining_to_move_an_appointment_earlier(cast, patient_client, schedule):
    visit = booked(cast.patient, schedule, local(2026, 3, 12, 9))
    url = reverse("scheduling:appointment-waitlist", args=[visit.pk])
    detail = patient_client.get(reverse("scheduling:appointment-detail", args=[visit.pk]))
    assert f'<a href="{url}">Tell me if an earlier time opens</a>' in detail.content.decode()
    page = patient_client.get(url).content.decode()
    # The clinician of the appointment is chosen at first.
    assert f'<option value="{schedule.practitioner.pk}" selected>' in page
    response = patient_client.post(url, {"practitioner": schedule.practitioner.pk})
    assert flashed(response) == [
        "You are on the waiting list. We will e-mail you if an earlier time opens."
    ]
    entry = WaitlistEntry.objects.get()
    assert (entry.appointment, entry.practitioner, entry.location) == (
        visit,
        schedule.practitioner,
        None,
    )
    # The appointment's page now says so instead of offering to join again.
    detail = patient_client.get(reverse("scheduling:appointment-detail", args=[visit.pk]))
    html = detail.content.decode()
    assert "Tell me if an earlier time opens" not in html
    assert "You are on the waiting list for an earlier time." in html
    assert '<a href="/appointments/#waitlist-heading">See the waiting list</a>' in html


def test_a_cancelled_appointment_cannot_wait_for_an_earlier_time(cast, patient_client, schedule):
    visit = booked(cast.patient, schedule, local(2026, 3, 12, 9), status="cancelled")
    url = reverse("scheduling:appointment-waitlist", args=[visit.pk])
    page = patient_client.get(url).content.decode()
    assert "This appointment cannot be moved to an earlier time." in page
    assert patient_client.post(url, {"practitioner": ""}).status_code == 200
    assert not WaitlistEntry.objects.exists()


# The list on the appointments page, and leaving it.


def test_the_appointments_page_shows_the_offers_and_the_entries(cast, patient_client, schedule):
    offer_to_pat(cast, schedule, location=schedule.location)
    entry = WaitlistEntry.objects.get()
    html = patient_client.get(PAGE).content.decode()
    assert section(html, "waitlist-heading") == (
        "Waiting list Thursday, March 5, 2026, 9:00 a.m. An earlier time is free: Check-up with "
        "Sam Okafor, MD. Answer by March 4, 2026, 12:00 p.m. . "
        "See the offer March 5, 2026, 9:00 a.m. "
        "We will e-mail you if a time opens for these. Check-up Visit Check-up With Anyone "
        f"Where {schedule.location.name} Joined March 4, 2026 "
        "Take me off the list Check-up"
    )
    assert f'<a href="{offer_url(WaitlistOffer.objects.get())}">' in html
    assert f'<a href="{reverse("scheduling:waitlist-leave", args=[entry.pk])}">' in html


def test_without_a_waiting_list_the_section_is_left_out(cast, patient_client):
    assert "waitlist-heading" not in patient_client.get(PAGE).content.decode()


def test_leaving_asks_first_then_takes_the_patient_off(
    cast, patient_client, schedule, django_capture_on_commit_callbacks
):
    entry = join(cast, schedule)
    url = reverse("scheduling:waitlist-leave", args=[entry.pk])
    page = patient_client.get(url).content.decode()
    assert "Take me off the waiting list?" in page
    assert "Yes, take me off the list" in page
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING
    response = patient_client.post(url)
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert flashed(response) == ["You are off the waiting list."]
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LEFT
    patient_client.get(PAGE)
    again = patient_client.get(url)
    assert flashed(again) == ["You are no longer on this waiting list."]


# The offer page.


def test_the_offer_page_shows_the_time_the_clinician_the_place_and_the_expiry(
    cast, patient_client, schedule
):
    offer = offer_to_pat(cast, schedule)
    html = patient_client.get(offer_url(offer)).content.decode()
    assert facts(html) == (
        "When Thursday, March 5, 2026, 9:00 a.m. (30 minutes) Visit Check-up (In person) "
        f"With Sam Okafor, MD Where {schedule.location.name} {address_words(schedule.location)} "
        "Offer open until Wednesday, March 4, 2026, 12:00 p.m. Status Waiting for an answer"
    )
    assert 'name="answer" value="accept"' in html
    assert 'name="answer" value="decline"' in html


def test_accepting_books_the_time(
    cast, patient_client, schedule, django_capture_on_commit_callbacks
):
    offer = offer_to_pat(cast, schedule, reason=REASON)
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(offer_url(offer), {"answer": "accept"})
    appointment = Appointment.objects.get(patient=cast.patient)
    assert response["Location"] == reverse("scheduling:appointment-detail", args=[appointment.pk])
    assert flashed(response) == ["The appointment is booked. We have sent a confirmation e-mail."]
    assert (appointment.starts_at, appointment.reason) == (FREED, REASON)
    assert [m.subject for m in mail.outbox] == ["[Carebridge] You have a new appointment"]


def test_a_caregiver_is_told_whose_appointment_moves(cast, act_as, schedule):
    visit = booked(cast.patient, schedule, local(2026, 3, 12, 9))
    offer = offer_to_pat(cast, schedule, appointment=visit)
    client = act_as(cast.proxies.full_caregiver, cast.patient)
    page = client.get(offer_url(offer)).content.decode()
    assert "Accepting moves Pat Patient's appointment to this time." in page
    assert "Accepting moves your appointment" not in page


def test_accepting_moves_the_appointment(cast, patient_client, schedule):
    visit = booked(cast.patient, schedule, local(2026, 3, 12, 9))
    offer = offer_to_pat(cast, schedule, appointment=visit)
    page = patient_client.get(offer_url(offer)).content.decode()
    assert "Accepting moves your appointment to this time." in page
    response = patient_client.post(offer_url(offer), {"answer": "accept"})
    assert flashed(response) == ["The appointment is moved. We have sent an e-mail about it."]
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CANCELLED
    assert Appointment.objects.active().get(patient=cast.patient).starts_at == FREED


def test_a_second_accept_is_told_someone_else_was_first(cast, patient_client, schedule):
    offer = offer_to_pat(cast, schedule)
    booked(factories.make_patient(cast.clinic), schedule, FREED)
    response = patient_client.post(offer_url(offer), {"answer": "accept"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"There is a problem {TAKEN}" in words(html)
    assert "Taken by someone else" in facts(html)
    assert 'value="accept"' not in html
    assert WaitlistEntry.objects.get().status == WaitlistStatus.WAITING


def test_no_thanks_keeps_the_patient_on_the_list(cast, patient_client, schedule):
    offer = offer_to_pat(cast, schedule)
    response = patient_client.post(offer_url(offer), {"answer": "decline"})
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert flashed(response) == ["Thank you for letting us know. You are still on the list."]
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    closed = patient_client.get(offer_url(offer)).content.decode()
    assert "This offer is closed. You are still on the waiting list." in closed
    assert 'value="accept"' not in closed


def test_an_offer_past_its_time_says_it_has_ended(cast, patient_client, schedule):
    offer = offer_to_pat(cast, schedule)
    WaitlistOffer.objects.filter(pk=offer.pk).update(expires_at=NOW)
    html = patient_client.get(offer_url(offer)).content.decode()
    assert "Status Expired" in facts(html)
    response = patient_client.post(offer_url(offer), {"answer": "accept"})
    assert "This offer has ended. You are still on the waiting list." in words(
        response.content.decode()
    )
    assert not Appointment.objects.active().exists()


# Who may see an entry or an offer.


def test_another_patients_entry_and_offer_are_not_found(cast, schedule):
    offer = offer_to_pat(cast, schedule)
    sam = client_for(cast.second_patient_user)
    leave = reverse("scheduling:waitlist-leave", args=[offer.entry_id])
    for url in (offer_url(offer), leave):
        assert sam.get(url).status_code == 404
        assert sam.post(url, {"answer": "accept"}).status_code == 404
    offer.refresh_from_db()
    assert (offer.status, offer.entry.status) == (OfferStatus.OPEN, WaitlistStatus.WAITING)
    assert not Appointment.objects.active().exists()


def test_a_caregiver_needs_the_appointments_scope(cast, schedule):
    offer = offer_to_pat(cast, schedule)
    rhea = factories.make_user(email="rhea.results@example.org")
    make_grant(cast.patient, rhea, granted_by=cast.patient_user, scopes=["results"])
    without = client_for(rhea, acting_for=cast.patient)
    assert without.get(offer_url(offer)).status_code == 404
    assert without.post(offer_url(offer), {"answer": "accept"}).status_code == 404
    denied = AuditEvent.objects.filter(actor=rhea, outcome="denied", object_id=str(offer.pk))
    assert denied.count() == 2
    abe = cast.proxies.appointments_caregiver
    response = client_for(abe, acting_for=cast.patient).post(offer_url(offer), {"answer": "accept"})
    assert response.status_code == 302
    appointment = Appointment.objects.active().get()
    assert (appointment.patient, appointment.booked_by, appointment.booked_as) == (
        cast.patient,
        abe,
        "proxy",
    )


# Queries.


def _queries(client, assert_max_num_queries) -> int:
    with assert_max_num_queries(BUDGET) as queries:
        assert client.get(PAGE).status_code == 200
    return len(queries)


def _add_to_the_list(cast, schedule, count: int, first_day: int) -> None:
    """`count` entries of Pat's, each with an open offer of its own time."""
    for n in range(count):
        entry = WaitlistEntry.objects.create(
            patient=cast.patient,
            visit_type=schedule.visit_type,
            created_by=cast.patient_user,
            booked_as="self",
            practitioner=schedule.practitioner,
            location=schedule.location,
        )
        WaitlistOffer.objects.create(
            entry=entry,
            practitioner=schedule.practitioner,
            location=schedule.location,
            starts_at=local(2026, 3, first_day + n // 3, 9 + n % 3),
            expires_at=NOW + datetime.timedelta(hours=2),
        )


def test_the_page_costs_the_same_queries_for_few_and_many_on_the_list(
    cast, patient_client, schedule, django_assert_max_num_queries
):
    _add_to_the_list(cast, schedule, 2, first_day=5)
    patient_client.get(PAGE)
    few = _queries(patient_client, django_assert_max_num_queries)
    _add_to_the_list(cast, schedule, 40, first_day=12)
    many = _queries(patient_client, django_assert_max_num_queries)
    assert many == few
    html = patient_client.get(PAGE).content.decode()
    assert html.count('<li class="waitlist-entry">') == 20
    assert html.count('<li class="waitlist-offer">') == 20
