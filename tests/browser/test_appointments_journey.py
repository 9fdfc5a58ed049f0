"""Issue 5's appointments journey in a real browser, on the real clock: a patient books, gets the
confirmation e-mail, moves the appointment, adds it to a calendar, checks in online and cancels;
a second patient, on the waiting list, is e-mailed the freed time and accepts it. axe-core checks
every page on the way (WCAG 2.2 A/AA), the key ones at 1,280 and 320 px.

The clinic works every day, all day, so that free times exist whenever the test runs: the first
one is two to three hours ahead (the soonest booking): still movable and cancellable online (until
one hour before) and already open for online check-in (from three days before).
"""

from __future__ import annotations

import datetime
import time
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, translation
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from carebridge.clinic.models import Clinic
from carebridge.patients.models import Patient
from carebridge.scheduling.models import (
    Appointment,
    AppointmentStatus,
    BookedAs,
    CheckIn,
    OfferStatus,
    VisitType,
    WaitlistEntry,
    WaitlistOffer,
    WaitlistStatus,
)
from carebridge.scheduling.tests.factories import make_hours, make_visit_type
from carebridge.testing import factories
from carebridge.testing.browser import (
    assert_no_axe_violations,
    assert_no_horizontal_scroll,
    skip_the_set_up_checklist,
)
from carebridge.testing.records import SNOMED, coded, medication_request, next_id, store, subject
from carebridge.testing.text import mentions

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 320, "height": 800}
TIMEOUT_MS = 10_000

PATIENT_EMAIL = "margaret.osei@example.org"
WAITING_EMAIL = "kwame.mensah@example.org"
VISIT = "Annual check-up"
DOCTOR = "Maya Chen, MD"
PLACE = "Main Street Office"
REASON = "Swollen ankles since the spring"
WAITING_REASON = "Dizzy when standing up"
CANCEL_REASON = "My daughter cannot drive me that day"
QUESTIONS = ["Any new symptoms?", "Have you travelled abroad lately?"]
COPAY = (
    "You may be asked to pay $25.00 at your visit. "
    "The final amount can change after your insurance is billed."
)

BOOKED_SUBJECT = "[Carebridge] You have a new appointment"
MOVED_SUBJECT = "[Carebridge] An appointment was moved"
CANCELLED_SUBJECT = "[Carebridge] An appointment was cancelled"
OFFER_SUBJECT = "[Carebridge] An earlier appointment time is available"
# Sent on every sign-in from a new device; not part of this journey.
SIGN_IN_SUBJECT = "[Carebridge] New sign-in to your account"


def test_book_move_check_in_cancel_and_the_waiting_list_takes_the_freed_time(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    visit_type = _clinic_open_every_day()
    margaret = _patient(PATIENT_EMAIL, "Margaret", "Osei", with_record=True)
    kwame = _patient(WAITING_EMAIL, "Kwame", "Mensah")

    _sign_in(page, PATIENT_EMAIL, "Margaret Osei")
    first = _book(page)
    moved = _move(page, first)
    _add_to_calendar(page, moved)
    _check_in(page, moved)

    # The patient on the waiting list, on their own device, joins before the time is freed.
    their_browser = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    their_browser.set_default_timeout(TIMEOUT_MS)
    waiting = their_browser.new_page()
    _sign_in(waiting, WAITING_EMAIL, "Kwame Mensah")
    _join_the_waiting_list(waiting)

    _cancel(page, moved)
    _accept_the_offer(waiting, moved)
    their_browser.close()

    # The database agrees with what the pages said.
    (taken,) = Appointment.objects.active().filter(starts_at=moved)
    assert (taken.patient, taken.visit_type, taken.reason) == (kwame, visit_type, WAITING_REASON)
    assert taken.booked_as == BookedAs.SELF
    margarets = Appointment.objects.filter(patient=margaret).order_by("created_at")
    assert [(row.starts_at, row.status, row.cancel_reason) for row in margarets] == [
        (first, AppointmentStatus.CANCELLED, "Rescheduled"),
        (moved, AppointmentStatus.CANCELLED, CANCEL_REASON),
    ]
    (entry,) = WaitlistEntry.objects.filter(patient=kwame)
    assert (entry.status, entry.reason, entry.practitioner, entry.location) == (
        WaitlistStatus.BOOKED,
        WAITING_REASON,
        None,
        None,
    )
    (offer,) = WaitlistOffer.objects.all()
    assert (offer.entry, offer.status, offer.appointment) == (entry, OfferStatus.ACCEPTED, taken)


# The set-up.


def _clinic_open_every_day() -> VisitType:
    clinic = factories.make_clinic(
        name="Riverside Family Clinic", slug="riverside", time_zone="America/New_York"
    )
    location = factories.make_location(clinic, name=PLACE)
    doctor = factories.make_practitioner(clinic, given_name="Maya", family_name="Chen")
    for weekday in range(7):
        make_hours(doctor, location, weekday, "00:00", "23:59")
    return make_visit_type(
        clinic,
        practitioners=[doctor],
        locations=[location],
        name=VISIT,
        duration_minutes=30,
        min_lead_hours=2,
        cancel_before_hours=1,
        copay_cents=2500,
        checkin_questions="\n".join(QUESTIONS),
    )


def _patient(email: str, given: str, family: str, *, with_record: bool = False) -> Patient:
    patient = factories.make_patient(
        Clinic.objects.get(slug="riverside"),
        user=factories.make_user(email=email, first_name=given, last_name=family),
        given_name=given,
        family_name=family,
        email=email,
        birth_date=datetime.date(1944, 7, 3),
        phone="555-0111",
        address_line="1 Elm Street",
        city="Springfield",
        state="MA",
        postal_code="01101",
    )
    if with_record:
        store(
            patient,
            _allergy(patient, "Penicillin"),
            medication_request(patient, "Metformin 500 mg"),
        )
    return patient


def _allergy(patient: Patient, name: str) -> dict[str, Any]:
    return {
        "resourceType": "AllergyIntolerance",
        "id": next_id("allergy"),
        "code": coded(SNOMED, "7", name),
        "patient": subject(patient),
        "recordedDate": "2020-05-06",
    }


# What the pages and e-mails should say.


def _at_on(moment: datetime.datetime) -> str:
    """A time as a sentence says it: "9 a.m. on Thursday, March 12, 2026"."""
    local = moment.astimezone(NEW_YORK)
    with translation.override("en"):
        day = formats.date_format(local, "l")
        date = formats.date_format(local, "DATE_FORMAT")
        time = formats.time_format(local, "TIME_FORMAT")
    return f"{time} on {day}, {date}"


def _when(moment: datetime.datetime) -> str:
    """A time as the pages show it: the clinic's clock, Django's English formats."""
    local = moment.astimezone(NEW_YORK)
    with translation.override("en"):
        day = formats.date_format(local, "l")
        date = formats.date_format(local, "DATE_FORMAT")
        clock = formats.time_format(local, "TIME_FORMAT")
    return f"{day}, {date}, {clock}"


def _email_words(moment: datetime.datetime) -> tuple[str, str]:
    """A time as the e-mails give it, e.g. ("Monday, November 23, 2026", "9:30 a.m. EST")."""
    local = moment.astimezone(NEW_YORK)
    with translation.override("en"):
        date = formats.date_format(local, "WEEKDAY_DATE_FORMAT")
        clock = formats.time_format(local, "TIME_FORMAT")
    return date, f"{clock} {local.tzname()}"


def _sign_in_words() -> str:
    return (
        f"Sign in to see the details:\n\n{settings.CAREBRIDGE_BASE_URL}{reverse('account_login')}\n"
    )


def _fact(scope: Page | Locator, term: str) -> Locator:
    """The value (dd) of a fact (dt) in a facts list."""
    return scope.locator(f"xpath=.//dt[normalize-space(.)='{term}']/following-sibling::dd[1]")


def _mail_to(address: str, count: int) -> list[Any]:
    """The appointment e-mails to an address, once there are `count` of them. They are sent
    after commit in the live server's thread, before its response; the short wait only guards
    against a slow machine."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        messages = [
            message
            for message in mail.outbox
            if message.to == [address] and message.subject != SIGN_IN_SUBJECT
        ]
        if len(messages) >= count or time.monotonic() > deadline:
            assert len(messages) == count, [message.subject for message in messages]
            return messages
        time.sleep(0.05)


def _assert_says_nothing_of_health(text: str) -> None:
    for words in (REASON, WAITING_REASON, CANCEL_REASON, VISIT, PLACE, "Penicillin"):
        assert words not in text
    for name in ("Maya", "Chen", "Margaret", "Osei", "Kwame", "Mensah"):
        assert not mentions(text, name), name


def _check(page: Page) -> None:
    """axe at 1,280 px, then at 320 px with nothing to scroll sideways."""
    assert_no_axe_violations(page)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page)
    assert_no_axe_violations(page)
    page.set_viewport_size(DESKTOP)


def _chosen_time(page: Page, number: int) -> tuple[Locator, datetime.datetime]:
    """The times page's radio button number `number` (from 0) and the time it stands for."""
    radio = page.get_by_role("radio").nth(number)
    radio_id = radio.get_attribute("id")
    stamp = page.locator(f"label[for='{radio_id}'] time").get_attribute("datetime")
    assert stamp is not None
    return radio, datetime.datetime.fromisoformat(stamp).astimezone(datetime.UTC)


# The journey.


def _sign_in(page: Page, email: str, name: str) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email").fill(email)
    password = page.get_by_label("Password")
    password.fill(factories.TEST_PASSWORD)
    password.press("Enter")
    skip_the_set_up_checklist(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {name}")


def _choose_the_visit(page: Page, reason: str, check: Callable[[Page], None]) -> None:
    """Steps 1 and 2 of booking, from the appointments page; `check` runs on each page."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Appointments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointments")
    expect(page.get_by_text("There are no upcoming appointments.")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Book an appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    check(page)
    page.get_by_label(VISIT).check()
    page.get_by_label("What is the appointment for? (optional)").fill(reason)
    page.get_by_role("button", name="Next: choose a time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a time")
    expect(page.get_by_text(f"Step 2 of 3: {VISIT} (30 minutes).")).to_be_visible()
    check(page)


def _book(page: Page) -> datetime.datetime:
    _choose_the_visit(page, REASON, _check)

    radio, starts_at = _chosen_time(page, 0)
    now = datetime.datetime.now(datetime.UTC)
    # The soonest booking is two hours ahead; times start on the half hour, and the last one of
    # a day is at 23:00 (the day's hours end at 23:59).
    assert now + datetime.timedelta(hours=2) <= starts_at
    assert starts_at <= now + datetime.timedelta(hours=3)
    radio.check()
    page.get_by_role("button", name="Next: check and confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm")
    expect(_fact(page, "When")).to_have_text(_when(starts_at))
    expect(_fact(page, "Visit")).to_have_text(f"{VISIT} (In person)")
    expect(_fact(page, "With")).to_have_text(DOCTOR)
    expect(_fact(page, "Where")).to_have_text(PLACE)
    expect(_fact(page, "Reason")).to_have_text(REASON)
    _check(page)

    page.get_by_role("button", name="Book this appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_role("status")).to_have_text(
        "The appointment is booked. We have sent a confirmation e-mail."
    )
    expect(_fact(page, "When")).to_have_text(f"{_when(starts_at)} (30 minutes)")
    expect(_fact(page, "Status")).to_have_text("Booked")
    expect(_fact(page, "Reason")).to_have_text(REASON)
    expect(_fact(page, "Booked")).to_have_text("Booked by Margaret Osei")
    _check(page)

    (message,) = _mail_to(PATIENT_EMAIL, 1)
    date, clock = _email_words(starts_at)
    assert message.subject == BOOKED_SUBJECT
    assert message.body == (
        f"You have a new appointment on {date} at {clock}.\n\n" + _sign_in_words()
    )
    _assert_says_nothing_of_health(message.subject + message.body)
    return starts_at


def _move(page: Page, old: datetime.datetime) -> datetime.datetime:
    page.get_by_role("link", name="Move to another time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new time")
    assert_no_axe_violations(page)
    # The booked time is no longer free: the times shown start after it.
    shown = page.locator(".choice label time").evaluate_all(
        "times => times.map(time => time.getAttribute('datetime'))"
    )
    starts = [datetime.datetime.fromisoformat(stamp) for stamp in shown]
    assert len(starts) == 30 and old < starts[0] and starts == sorted(starts)
    radio, new = _chosen_time(page, 2)
    assert new == starts[2]
    radio.check()
    page.get_by_role("button", name="Next: check and confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move the appointment to this time?")
    expect(_fact(page, "When")).to_have_text(_when(new))
    expect(
        page.get_by_text(f"Your appointment is now booked for {_at_on(old)}. It will be")
    ).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Move to this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_role("status")).to_have_text(
        "The appointment is moved. We have sent an e-mail about it."
    )
    expect(_fact(page, "When")).to_have_text(f"{_when(new)} (30 minutes)")
    expect(_fact(page, "Reason")).to_have_text(REASON)
    assert_no_axe_violations(page)

    _, message = _mail_to(PATIENT_EMAIL, 2)
    date, clock = _email_words(new)
    assert message.subject == MOVED_SUBJECT
    assert message.body == (
        f"Your appointment has been moved to {date} at {clock}.\n\n" + _sign_in_words()
    )
    _assert_says_nothing_of_health(message.body)
    return new


def _add_to_calendar(page: Page, starts_at: datetime.datetime) -> None:
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics file)").click()
    download = download_info.value
    assert download.suggested_filename == "appointment.ics"
    with open(download.path(), encoding="utf-8", newline="") as calendar:
        text = calendar.read()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    lines = text.split("\r\n")
    assert f"DTSTART:{starts_at:%Y%m%dT%H%M%SZ}" in lines
    assert f"DTEND:{starts_at + datetime.timedelta(minutes=30):%Y%m%dT%H%M%SZ}" in lines
    assert "STATUS:CONFIRMED" in lines
    assert "SUMMARY:Appointment at Riverside Family Clinic" in lines
    assert text.endswith("END:VCALENDAR\r\n")
    assert REASON not in text and VISIT not in text
    assert not mentions(text, "Chen") and not mentions(text, "Osei")


def _check_in(page: Page, starts_at: datetime.datetime) -> None:
    expect(page.get_by_role("heading", name="Online check-in")).to_be_visible()
    page.get_by_role("link", name="Check in online").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in for your appointment")
    expect(page.get_by_label("Phone number")).to_have_value("555-0111")
    expect(page.get_by_label("Street address")).to_have_value("1 Elm Street")
    expect(page.locator(".checkin-list li")).to_have_text(["Penicillin", "Metformin 500 mg"])
    expect(page.locator(".checkin-copay")).to_have_text(COPAY)
    _check(page)

    # Sent empty, the page says what is missing, and still passes axe.
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("Tick “These are right” once the details are correct.")).to_have_count(
        2
    )
    expect(
        page.get_by_text("Enter the insurance company, or tick “I do not have insurance”.")
    ).to_have_count(2)
    _check(page)

    page.get_by_label("These are right").check()
    page.get_by_label("Insurance company").fill("Harbor Health Plan")
    page.get_by_label("Member ID").fill("HHP-448812")
    allergies = page.get_by_role("group", name="Are these allergies right?")
    allergies.get_by_label("This list is right").check()
    medicines = page.get_by_role("group", name="Are these medicines right?")
    medicines.get_by_label("Something has changed").check()
    page.locator("#id_medication_changes").fill("I stopped the Metformin in May")
    page.get_by_label(QUESTIONS[0]).fill("A cough at night")
    page.get_by_role("button", name="Check in", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_role("status")).to_have_text("You are checked in. Thank you.")
    expect(page.locator(".checkin-done")).to_contain_text("Checked in online on")
    expect(page.get_by_role("link", name="Change the check-in answers")).to_be_visible()
    assert_no_axe_violations(page)

    checked_in = CheckIn.objects.get(appointment__starts_at=starts_at)
    assert (
        checked_in.contact_confirmed,
        checked_in.insurance_payer,
        checked_in.insurance_member_id,
        checked_in.self_pay,
        checked_in.allergies_confirmed,
        checked_in.medications_confirmed,
        checked_in.medication_changes,
        checked_in.copay_cents,
    ) == (
        True,
        "Harbor Health Plan",
        "HHP-448812",
        False,
        True,
        False,
        "I stopped the Metformin in May",
        2500,
    )
    assert checked_in.answers == [
        {"question": QUESTIONS[0], "answer": "A cough at night"},
        {"question": QUESTIONS[1], "answer": ""},
    ]

    # The list says so too; checking in sends no e-mail.
    page.get_by_role("link", name="Back to all appointments").click()
    card = page.locator("li.appointment").filter(has_text=_when(starts_at))
    expect(_fact(card, "Status")).to_have_text("Booked (Checked in online)")
    _check(page)
    _mail_to(PATIENT_EMAIL, 2)


def _join_the_waiting_list(page: Page) -> None:
    _choose_the_visit(page, WAITING_REASON, assert_no_axe_violations)
    page.get_by_role("link", name="None of these times suit me? Join the waiting list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Join the waiting list")
    expect(_fact(page, "Reason")).to_have_text(WAITING_REASON)
    expect(page.get_by_label("With")).to_have_value("")
    expect(page.get_by_label("Where")).to_have_value("")
    _check(page)
    page.get_by_role("button", name="Put me on the waiting list").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointments")
    expect(page.get_by_role("status")).to_have_text(
        "You are on the waiting list. We will e-mail you if a time opens."
    )
    entry = page.locator("li.waitlist-entry")
    expect(entry).to_have_count(1)
    expect(entry.get_by_role("heading")).to_have_text(VISIT)
    expect(_fact(entry, "With")).to_have_text("Anyone")
    expect(_fact(entry, "Where")).to_have_text("Anywhere")
    _check(page)


def _cancel(page: Page, starts_at: datetime.datetime) -> None:
    card = page.locator("li.appointment").filter(has_text=_when(starts_at))
    card.get_by_role("link", name="See this appointment").click()
    expect(_fact(page, "When")).to_have_text(f"{_when(starts_at)} (30 minutes)")
    expect(_fact(page, "Status")).to_have_text("Booked")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Cancel this appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this appointment?")
    _check(page)
    page.get_by_label("Why are you cancelling? (optional)").fill(CANCEL_REASON)
    page.get_by_role("button", name="Yes, cancel the appointment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_role("status")).to_have_text("The appointment is cancelled.")
    expect(_fact(page, "Status")).to_have_text("Cancelled")
    expect(page.get_by_role("link", name="Move to another time")).to_have_count(0)
    expect(page.get_by_role("link", name="Cancel this appointment")).to_have_count(0)
    expect(page.get_by_role("link", name="Check in online")).to_have_count(0)
    _check(page)

    *_, message = _mail_to(PATIENT_EMAIL, 3)
    date, clock = _email_words(starts_at)
    assert message.subject == CANCELLED_SUBJECT
    assert message.body == (
        f"Your appointment on {date} at {clock} has been cancelled.\n\n" + _sign_in_words()
    )
    _assert_says_nothing_of_health(message.body)


def _accept_the_offer(page: Page, freed: datetime.datetime) -> None:
    (message,) = _mail_to(WAITING_EMAIL, 1)
    (offer,) = WaitlistOffer.objects.all()
    date, clock = _email_words(freed)
    until_date, until_clock = _email_words(offer.expires_at)
    link = settings.CAREBRIDGE_BASE_URL + reverse("scheduling:waitlist-offer", args=[offer.pk])
    assert message.subject == OFFER_SUBJECT
    assert message.body == (
        f"An earlier appointment time is available: {date} at {clock}.\n\n"
        f"This offer lasts until {until_clock} on {until_date}.\n\n"
        "The first person to accept it gets the time.\n\n"
        "Sign in to see the offer and accept it or say no:\n\n"
        f"{link}\n"
    )
    _assert_says_nothing_of_health(message.body)

    # The link's host is the portal's public address; the path is what matters here.
    page.goto("/appointments/" + link.split("/appointments/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("An earlier time is free")
    expect(_fact(page, "When")).to_have_text(f"{_when(freed)} (30 minutes)")
    expect(_fact(page, "With")).to_have_text(DOCTOR)
    expect(_fact(page, "Status")).to_have_text("Waiting for an answer")
    _check(page)
    page.get_by_role("button", name="Accept this time").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your appointment")
    expect(page.get_by_role("status")).to_have_text(
        "The appointment is booked. We have sent a confirmation e-mail."
    )
    expect(_fact(page, "When")).to_have_text(f"{_when(freed)} (30 minutes)")
    expect(_fact(page, "With")).to_have_text(DOCTOR)
    expect(_fact(page, "Status")).to_have_text("Booked")
    expect(_fact(page, "Reason")).to_have_text(WAITING_REASON)
    expect(_fact(page, "Booked")).to_have_text("Booked by Kwame Mensah")
    assert_no_axe_violations(page)

    _, booked = _mail_to(WAITING_EMAIL, 2)
    assert booked.subject == BOOKED_SUBJECT
    assert booked.body == (
        f"You have a new appointment on {date} at {clock}.\n\n" + _sign_in_words()
    )

    page.get_by_role("link", name="Back to all appointments").click()
    upcoming = page.locator("li.appointment")
    expect(upcoming).to_have_count(1)
    expect(upcoming.get_by_role("heading")).to_have_text(_when(freed))
    expect(page.locator("li.waitlist-entry")).to_have_count(0)
    expect(page.locator("li.waitlist-offer")).to_have_count(0)
    _check(page)
