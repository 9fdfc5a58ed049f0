"""Booking from the portal: the kinds of visit, the free times, confirming, a time just taken,
the reason kept out of every address, and a constant number of queries."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse

from carebridge.scheduling.models import Appointment, BookedAs, OnlineBooking
from carebridge.scheduling.tests.factories import (
    local,
    make_appointment,
    make_hours,
    make_schedule,
    make_visit_type,
)
from carebridge.scheduling.tests.pages import words
from carebridge.scheduling.views.booking import BOOKING_SESSION_KEY
from carebridge.testing import factories
from carebridge.testing.clients import flashed

pytestmark = pytest.mark.django_db

BOOK = reverse("scheduling:book")
TIMES = reverse("scheduling:book-times")
CONFIRM = reverse("scheduling:book-confirm")
REASON = "Sore knee; worse on stairs"
THURSDAY = 3
TIMES_BUDGET = 30


@pytest.fixture
def schedule(cast):
    """Dr Okafor's check-ups at the Main Street office, Thursdays 9 to 10:00 a.m."""
    schedule = make_schedule(cast.clinic, name="Check-up")
    make_hours(schedule.practitioner, schedule.location, THURSDAY, "09:00", "10:00")
    return schedule


def time_of(schedule, starts_at) -> str:
    return f"{schedule.practitioner.pk}_{schedule.location.pk}_{starts_at.isoformat()}"


def confirm_url(schedule, starts_at) -> str:
    query = {"visit_type": schedule.visit_type.pk, "time": time_of(schedule, starts_at)}
    return CONFIRM + "?" + urlencode(query)


def choose(client, schedule, reason: str = REASON):
    return client.post(BOOK, {"visit_type": schedule.visit_type.pk, "reason": reason})


def legends_and_times(html: str) -> list[str]:
    form = html.split(f'action="{CONFIRM}"', 1)[1].split("</form>", 1)[0]
    return [words(part) for part in form.split("<fieldset")[1:]]


def test_step_1_offers_the_types_patients_may_book_and_names_the_others(
    cast, patient_client, schedule
):
    make_visit_type(
        cast.clinic,
        practitioners=[],
        locations=[],
        name="Physical",
        online_booking=OnlineBooking.NOBODY,
    )
    make_visit_type(
        cast.clinic,
        practitioners=[],
        locations=[],
        name="Review",
        online_booking=OnlineBooking.ESTABLISHED,
    )
    html = patient_client.get(BOOK).content.decode()
    form = html.split('<form method="post" novalidate>', 1)[1].split("</form>", 1)[0]
    assert words(form.split("<fieldset", 1)[1].split("</fieldset>")[0]).endswith(
        "What kind of appointment? Check-up"
    )
    assert "Only the clinic sees this. It helps them get ready for the visit." in form
    ask = html.split('id="ask-heading"', 1)[1].split("</section>", 1)[0]
    assert words(ask) == (
        ">Ask for this appointment These cannot be booked online. Send the clinic a request, "
        "or call Riverside Family Clinic on 555-0100 . Ask for this appointment: Physical "
        "Ask for this appointment: Review"
    )


def test_choosing_keeps_the_reason_out_of_the_address(cast, patient_client, schedule):
    response = choose(patient_client, schedule)
    assert response.status_code == 302
    assert response["Location"] == f"{TIMES}?type={schedule.visit_type.pk}"
    assert patient_client.session[BOOKING_SESSION_KEY] == {
        "patient": str(cast.patient.pk),
        "visit_type": schedule.visit_type.pk,
        "reason": REASON,
    }


def test_step_1_needs_a_type_and_a_short_reason(patient_client, schedule):
    response = patient_client.post(BOOK, {"reason": "x" * 501})
    html = response.content.decode()
    assert response.status_code == 200
    assert "What kind of appointment?: Choose the kind of appointment." in words(html)
    # The summary's link moves the focus to the group's first radio button.
    assert '<a href="#id_visit_type_0">' in html
    assert "Ensure this value has at most 500 characters (it has 501)." in html


def test_step_2_shows_the_free_times_by_day_in_the_clinics_time(patient_client, schedule):
    office = schedule.location.name
    taken = make_appointment(
        factories.make_patient(schedule.clinic),
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 5, 9, 30),
    )
    html = patient_client.get(TIMES, {"type": schedule.visit_type.pk}).content.decode()
    days = legends_and_times(html)
    assert days[:2] == [
        f'class="field"> Thursday, March 5, 2026 9:00 a.m. , with Sam Okafor, MD at {office}',
        f'class="field"> Thursday, March 12, 2026 9:00 a.m. , with Sam Okafor, MD at {office} '
        f"9:30 a.m. , with Sam Okafor, MD at {office}",
    ]
    assert len(days) == 4
    assert taken.starts_at.isoformat() not in html


def test_step_2_filters_by_date(patient_client, schedule):
    params = {"type": schedule.visit_type.pk, "date": "2026-03-20"}
    days = legends_and_times(patient_client.get(TIMES, params).content.decode())
    assert [day.split(" 9:00 a.m.")[0] for day in days] == [
        'class="field"> Thursday, March 26, 2026',
        'class="field"> Thursday, April 2, 2026',
        'class="field"> Thursday, April 9, 2026',
        'class="field"> Thursday, April 16, 2026',
    ]


def test_step_2_filters_by_clinician(cast, patient_client, schedule):
    schedule.visit_type.practitioners.add(schedule.other_practitioner)
    make_hours(schedule.other_practitioner, schedule.location, THURSDAY, "14:00", "14:30")
    params = {"type": schedule.visit_type.pk, "practitioner": schedule.other_practitioner.pk}
    days = legends_and_times(patient_client.get(TIMES, params).content.decode())
    office = schedule.location.name
    assert (
        days[0]
        == f'class="field"> Thursday, March 5, 2026 2:00 p.m. , with Kim Lee, MD at {office}'
    )


def test_step_2_without_a_bookable_type_goes_back_to_step_1(cast, patient_client, schedule):
    ask_only = make_visit_type(
        cast.clinic, practitioners=[], locations=[], online_booking=OnlineBooking.NOBODY
    )
    for params in ({}, {"type": "nonsense"}, {"type": ask_only.pk}):
        response = patient_client.get(TIMES, params)
        assert (response.status_code, response["Location"]) == (302, BOOK)


def test_confirming_shows_the_details_and_the_reason(patient_client, schedule):
    choose(patient_client, schedule)
    html = patient_client.get(confirm_url(schedule, local(2026, 3, 5, 9))).content.decode()
    assert words(html.split('<dl class="facts">', 1)[1].split("</dl>")[0]) == (
        "When Thursday, March 5, 2026, 9:00 a.m. Visit Check-up (In person) With Sam Okafor, MD "
        f"Where {schedule.location.name} Reason {REASON} "
        "What to pay Nothing to pay at the visit is expected."
    )
    assert Appointment.objects.count() == 0


def test_pat_books_and_is_taken_to_the_appointment(
    cast, patient_client, schedule, django_capture_on_commit_callbacks
):
    choose(patient_client, schedule)
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            CONFIRM,
            {"visit_type": schedule.visit_type.pk, "time": time_of(schedule, local(2026, 3, 5, 9))},
        )
    visit = Appointment.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/appointments/{visit.pk}/")
    assert flashed(response) == ["The appointment is booked. We have sent a confirmation e-mail."]
    assert (visit.patient, visit.starts_at, visit.reason, visit.booked_as, visit.booked_by) == (
        cast.patient,
        local(2026, 3, 5, 9),
        REASON,
        BookedAs.SELF,
        cast.patient_user,
    )
    assert [m.subject for m in mail.outbox] == ["[Carebridge] You have a new appointment"]
    assert REASON not in mail.outbox[0].body
    assert BOOKING_SESSION_KEY not in patient_client.session


def test_cora_books_for_pat_as_a_proxy(cast, act_as, schedule):
    cora = act_as(cast.proxies.full_caregiver, cast.patient)
    choose(cora, schedule)
    cora.post(
        CONFIRM,
        {"visit_type": schedule.visit_type.pk, "time": time_of(schedule, local(2026, 3, 5, 9))},
    )
    visit = Appointment.objects.get()
    assert (visit.patient, visit.booked_as, visit.booked_by) == (
        cast.patient,
        BookedAs.PROXY,
        cast.proxies.full_caregiver,
    )


def test_a_reason_given_for_another_type_is_not_used(patient_client, schedule, cast):
    other = make_visit_type(
        cast.clinic, practitioners=[schedule.practitioner], locations=[schedule.location]
    )
    patient_client.post(BOOK, {"visit_type": other.pk, "reason": "Something else"})
    patient_client.post(
        CONFIRM,
        {"visit_type": schedule.visit_type.pk, "time": time_of(schedule, local(2026, 3, 5, 9))},
    )
    assert Appointment.objects.get().reason == ""


def test_a_time_just_taken_offers_the_next_ones(cast, patient_client, schedule):
    choose(patient_client, schedule)
    make_appointment(
        cast.second_patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 5, 9),
    )
    response = patient_client.post(
        CONFIRM,
        {"visit_type": schedule.visit_type.pk, "time": time_of(schedule, local(2026, 3, 5, 9))},
    )
    html = response.content.decode()
    assert "<h1>That time was just taken</h1>" in html
    offered = html.split("<legend>Next times</legend>", 1)[1].split("</fieldset>")[0]
    office = schedule.location.name
    assert words(offered) == (
        f"Thursday, March 5, 2026, 9:30 a.m. , with Sam Okafor, MD at {office} "
        f"Thursday, March 12, 2026, 9:00 a.m. , with Sam Okafor, MD at {office} "
        f"Thursday, March 12, 2026, 9:30 a.m. , with Sam Okafor, MD at {office}"
    )
    assert Appointment.objects.filter(patient=cast.patient).count() == 0


def test_a_time_that_is_not_free_is_refused(cast, patient_client, schedule):
    response = patient_client.post(
        CONFIRM,
        {"visit_type": schedule.visit_type.pk, "time": time_of(schedule, local(2026, 3, 5, 11))},
    )
    assert (
        "That time cannot be booked. Please choose one of the times shown."
        in response.content.decode()
    )
    assert Appointment.objects.count() == 0


def test_a_garbled_choice_goes_back_to_step_1(patient_client, schedule):
    for time in (
        "",
        "1_2",
        "x_y_z",
        f"{schedule.practitioner.pk}_{schedule.location.pk}_2026-03-05T09:00",
    ):
        response = patient_client.post(
            CONFIRM, {"visit_type": schedule.visit_type.pk, "time": time}
        )
        assert (response.status_code, response["Location"]) == (302, BOOK)
    assert Appointment.objects.count() == 0


def test_a_proxy_without_the_appointments_scope_cannot_book(cast, act_as, schedule):
    grant = cast.proxies.grants["full_caregiver"]
    grant.scopes = [s for s in grant.scopes if s != "appointments"]
    grant.save()
    cora = act_as(cast.proxies.full_caregiver, cast.patient)
    assert cora.get(BOOK).status_code == 404
    response = cora.post(
        CONFIRM,
        {"visit_type": schedule.visit_type.pk, "time": time_of(schedule, local(2026, 3, 5, 9))},
    )
    assert response.status_code == 404
    assert Appointment.objects.count() == 0


def _times_queries(client, schedule, assert_max_num_queries) -> int:
    with assert_max_num_queries(TIMES_BUDGET) as queries:
        assert client.get(TIMES, {"type": schedule.visit_type.pk}).status_code == 200
    return len(queries)


def test_the_times_page_costs_the_same_queries_for_few_and_many_appointments(
    cast, patient_client, schedule, django_assert_max_num_queries
):
    patient_client.get(TIMES, {"type": schedule.visit_type.pk})
    few = _times_queries(patient_client, schedule, django_assert_max_num_queries)
    for week in range(1, 13):
        make_appointment(
            cast.second_patient,
            schedule.visit_type,
            schedule.practitioner,
            schedule.location,
            local(2026, 3, 5, 9) + datetime.timedelta(weeks=week),
        )
    many = _times_queries(patient_client, schedule, django_assert_max_num_queries)
    assert many == few


def test_pat_books_a_time_after_the_clocks_change_through_the_pages(
    cast, patient_client, schedule, django_capture_on_commit_callbacks
):
    """On Wednesday, March 4 (EST) Pat picks 9:00 a.m. on Thursday, March 12, after the clocks went
    forward on the 8th: the time offered, the confirmation, the stored time (13:00 UTC, not
    14:00), the appointment's page and the e-mail all say 9:00 a.m."""
    choose(patient_client, schedule)
    html = patient_client.get(TIMES, {"type": schedule.visit_type.pk}).content.decode()
    after = time_of(schedule, local(2026, 3, 12, 9))
    assert f'value="{after}"' in html
    confirm = patient_client.get(CONFIRM, {"visit_type": schedule.visit_type.pk, "time": after})
    assert "When Thursday, March 12, 2026, 9:00 a.m." in words(confirm.content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            CONFIRM, {"visit_type": schedule.visit_type.pk, "time": after}
        )
    visit = Appointment.objects.get()
    assert visit.starts_at == datetime.datetime(2026, 3, 12, 13, 0, tzinfo=datetime.UTC)
    page = patient_client.get(response["Location"]).content.decode()
    minutes = schedule.visit_type.duration_minutes
    assert f"When Thursday, March 12, 2026, 9:00 a.m. ({minutes} minutes)" in words(page)
    assert "on Thursday, March 12, 2026 at 9:00 a.m. EDT." in mail.outbox[0].body
