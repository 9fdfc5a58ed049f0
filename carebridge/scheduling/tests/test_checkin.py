"""Online check-in, the service: when it is open (in the clinic's time zone, across the change to
summer time), what it saves, who may do it, and its audit events. The page is tested in
`test_checkin_page.py`."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import AppointmentStatus, BookedAs, CheckIn
from carebridge.scheduling.services import (
    CheckInData,
    CheckInState,
    ContactDetails,
    check_in,
    check_in_opens_at,
    check_in_state,
    check_may_check_in,
    copay_words,
)
from carebridge.scheduling.tests.factories import local, make_appointment, make_schedule, utc
from carebridge.testing import factories
from carebridge.testing.proxy_personas import make_grant

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)
PATS_CONTACT = ContactDetails("555-0111", "1 Elm Street", "Springfield", "MA", "01101")


@pytest.fixture
def schedule(cast):
    return make_schedule(cast.clinic, copay_cents=2500, checkin_questions="Any new symptoms?")


def book(cast, schedule, starts_at, **fields):
    visit = (schedule.visit_type, schedule.practitioner, schedule.location)
    return make_appointment(cast.patient, *visit, starts_at, **fields)


@pytest.fixture
def pat(cast):
    """Pat, with the contact details of `PATS_CONTACT`."""
    for name, value in vars(PATS_CONTACT).items():
        setattr(cast.patient, name, value)
    cast.patient.save()
    return cast.patient


def data(**fields) -> CheckInData:
    defaults = {
        "contact": PATS_CONTACT,
        "contact_confirmed": True,
        "insurance_payer": "Acme Health",
        "insurance_member_id": "M-123",
        "insurance_group": "G-9",
        "allergies_confirmed": True,
        "medications_confirmed": False,
        "medication_changes": "Stopped aspirin",
        "answers": [{"question": "Any new symptoms?", "answer": "No"}],
    }
    return CheckInData(**(defaults | fields))


def events(object_type: str) -> list[tuple]:
    rows = AuditEvent.objects.filter(object_type=object_type).order_by("sequence")
    return [(e.actor.email, e.acting_as, e.action, e.object_id, e.patient_id) for e in rows]


# The window.


def test_it_opens_at_local_midnight_three_days_before_the_start_date(cast, schedule):
    # Monday, March 9, 9:30 a.m. summer time; Friday, March 6 is still winter time (UTC-5).
    visit = book(cast, schedule, local(2026, 3, 9, 9, 30))
    opens = check_in_opens_at(visit)
    assert opens == utc(2026, 3, 6, 5, 0)
    assert check_in_state(visit, opens - SECOND) == CheckInState.NOT_YET
    assert check_in_state(visit, opens) == CheckInState.OPEN
    assert check_in_state(visit, local(2026, 3, 8, 12)) == CheckInState.OPEN
    assert check_in_state(visit, visit.starts_at - SECOND) == CheckInState.OPEN
    assert check_in_state(visit, visit.starts_at) == CheckInState.CLOSED
    assert check_in_state(visit, visit.starts_at + SECOND) == CheckInState.CLOSED


def test_after_the_clocks_go_forward_midnight_is_four_hours_after_utc_midnight(cast, schedule):
    # Thursday, March 12: check-in opens at 12:00 a.m. on Monday, March 9, summer time (UTC-4).
    visit = book(cast, schedule, local(2026, 3, 12, 9))
    assert check_in_opens_at(visit) == utc(2026, 3, 9, 4, 0)
    assert check_in_state(visit, utc(2026, 3, 9, 3, 59)) == CheckInState.NOT_YET
    assert check_in_state(visit, utc(2026, 3, 9, 4, 0)) == CheckInState.OPEN


def test_the_day_of_the_start_is_the_clinics_not_utcs(cast, schedule):
    # 9:00 p.m. on Monday, March 9 in New York is already Tuesday in UTC.
    visit = book(cast, schedule, local(2026, 3, 9, 21))
    assert visit.starts_at == utc(2026, 3, 10, 1, 0)
    assert check_in_opens_at(visit) == utc(2026, 3, 6, 5, 0)


def test_the_number_of_days_is_a_setting(cast, schedule, settings):
    settings.CAREBRIDGE_CHECKIN_DAYS = 1
    visit = book(cast, schedule, local(2026, 3, 9, 9, 30))
    assert check_in_opens_at(visit) == utc(2026, 3, 8, 5, 0)


def test_cancelled_and_already_started_appointments_are_closed(cast, schedule):
    now = local(2026, 3, 8, 12)
    cancelled = book(cast, schedule, local(2026, 3, 9, 9), status=AppointmentStatus.CANCELLED)
    arrived = book(cast, schedule, local(2026, 3, 9, 10), status=AppointmentStatus.ARRIVED)
    assert check_in_state(cancelled, now) == CheckInState.CANCELLED
    assert check_in_state(arrived, now) == CheckInState.CLOSED


def refusal(appointment, now) -> str:
    with pytest.raises(ValidationError) as refused:
        check_may_check_in(appointment, now)
    return refused.value.messages[0]


def test_the_refusals_say_why_in_plain_words(cast, schedule):
    visit = book(cast, schedule, local(2026, 3, 9, 9, 30))
    cancelled = book(cast, schedule, local(2026, 3, 9, 11), status=AppointmentStatus.CANCELLED)
    assert refusal(visit, local(2026, 3, 5, 23, 59)) == (
        "Online check-in opens on Friday, March 6, 2026."
    )
    assert refusal(visit, visit.starts_at) == (
        "This appointment has already started, so online check-in has closed. "
        "Please check in at the front desk."
    )
    assert refusal(cancelled, local(2026, 3, 8, 9)) == (
        "This appointment is cancelled, so there is nothing to check in for."
    )
    check_may_check_in(visit, local(2026, 3, 6, 0))


# What is saved.


def test_a_check_in_saves_what_was_confirmed(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    now = local(2026, 3, 4, 10)
    row = check_in(
        actor=cast.patient_user, acting_as=BookedAs.SELF, appointment=visit, now=now, data=data()
    )
    saved = CheckIn.objects.get(appointment=visit)
    assert saved == row
    assert (saved.completed_at, saved.completed_by, saved.completed_as) == (
        now,
        cast.patient_user,
        "self",
    )
    assert (saved.insurance_payer, saved.insurance_member_id, saved.insurance_group) == (
        "Acme Health",
        "M-123",
        "G-9",
    )
    assert (saved.contact_confirmed, saved.self_pay, saved.copay_cents) == (True, False, 2500)
    assert (saved.allergies_confirmed, saved.allergy_changes) == (True, "")
    assert (saved.medications_confirmed, saved.medication_changes) == (False, "Stopped aspirin")
    assert saved.answers == [{"question": "Any new symptoms?", "answer": "No"}]
    assert events("check_in") == [("pat@example.org", "self", "create", str(visit.pk), pat.pk)]
    # Nothing about Pat's contact details changed, so the patient is not updated.
    assert events("patient") == []


def test_the_copay_is_kept_as_it_was_at_check_in(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    check_in(
        actor=cast.patient_user,
        acting_as=BookedAs.SELF,
        appointment=visit,
        now=local(2026, 3, 4, 10),
        data=data(),
    )
    schedule.visit_type.copay_cents = 4000
    schedule.visit_type.save()
    assert CheckIn.objects.get(appointment=visit).copay_cents == 2500


def test_paying_themself_leaves_the_insurance_empty(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    check_in(
        actor=cast.patient_user,
        acting_as=BookedAs.SELF,
        appointment=visit,
        now=local(2026, 3, 4, 10),
        data=data(self_pay=True),
    )
    saved = CheckIn.objects.get(appointment=visit)
    assert (saved.self_pay, saved.insurance_payer, saved.insurance_member_id) == (True, "", "")


def test_checking_in_again_updates_the_same_check_in(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    first = {"actor": cast.patient_user, "acting_as": BookedAs.SELF, "appointment": visit}
    check_in(**first, now=local(2026, 3, 4, 10), data=data())
    cora = cast.proxies.full_caregiver
    later = local(2026, 3, 5, 8)
    check_in(
        actor=cora,
        acting_as=BookedAs.PROXY,
        appointment=visit,
        now=later,
        data=data(insurance_payer="Beta Care", allergies_confirmed=False, allergy_changes="Nuts"),
    )
    saved = CheckIn.objects.get(appointment=visit)
    assert CheckIn.objects.count() == 1
    assert (saved.completed_at, saved.completed_by, saved.completed_as) == (
        later,
        cora,
        "proxy",
    )
    assert (saved.insurance_payer, saved.allergies_confirmed, saved.allergy_changes) == (
        "Beta Care",
        False,
        "Nuts",
    )
    assert events("check_in") == [
        ("pat@example.org", "self", "create", str(visit.pk), pat.pk),
        ("cora@example.org", "proxy", "update", str(visit.pk), pat.pk),
    ]


def test_corrected_contact_details_are_saved_on_the_patient_and_audited(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    moved = ContactDetails("555-0199", "22 Oak Road", "Shelbyville", "MA", "01102")
    check_in(
        actor=cast.patient_user,
        acting_as=BookedAs.SELF,
        appointment=visit,
        now=local(2026, 3, 4, 10),
        data=data(contact=moved),
    )
    pat.refresh_from_db()
    assert ContactDetails.of(pat) == moved
    assert events("patient") == [("pat@example.org", "self", "update", str(pat.pk), pat.pk)]


def test_the_service_refuses_without_insurance_or_paying_themself(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    with pytest.raises(ValidationError) as refused:
        check_in(
            actor=cast.patient_user,
            acting_as=BookedAs.SELF,
            appointment=visit,
            now=local(2026, 3, 4, 10),
            data=data(insurance_member_id=" ", contact=ContactDetails("1", "", "", "", "")),
        )
    assert refused.value.messages == [
        "Enter the insurance company and member ID, or say there is no insurance."
    ]
    pat.refresh_from_db()
    assert (CheckIn.objects.count(), pat.phone, events("check_in")) == (0, "555-0111", [])


def test_the_service_refuses_unconfirmed_contact_details(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    with pytest.raises(ValidationError):
        check_in(
            actor=cast.patient_user,
            acting_as=BookedAs.SELF,
            appointment=visit,
            now=local(2026, 3, 4, 10),
            data=data(contact_confirmed=False),
        )
    assert CheckIn.objects.count() == 0


def test_outside_the_window_nothing_is_saved(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 9, 9, 30))
    moved = ContactDetails("555-0199", "22 Oak Road", "Shelbyville", "MA", "01102")
    with pytest.raises(ValidationError):
        check_in(
            actor=cast.patient_user,
            acting_as=BookedAs.SELF,
            appointment=visit,
            now=local(2026, 3, 4, 10),
            data=data(contact=moved),
        )
    pat.refresh_from_db()
    assert (CheckIn.objects.count(), pat.phone, events("patient")) == (0, "555-0111", [])


def test_only_the_patient_and_proxies_with_the_appointments_scope_may(cast, pat, schedule):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    record_only = factories.make_user(email="rob@example.org", first_name="Rob")
    make_grant(pat, record_only, granted_by=cast.patient_user, scopes=["record"])
    attempts = [
        (cast.second_patient_user, BookedAs.SELF),
        (record_only, BookedAs.PROXY),
        (cast.patient_user, BookedAs.PROXY),
    ]
    for actor, acting_as in attempts:
        with pytest.raises(PermissionDenied):
            check_in(
                actor=actor,
                acting_as=acting_as,
                appointment=visit,
                now=local(2026, 3, 4, 10),
                data=data(),
            )
    assert (CheckIn.objects.count(), events("check_in")) == (0, [])
    abe = cast.proxies.appointments_caregiver
    check_in(
        actor=abe,
        acting_as=BookedAs.PROXY,
        appointment=visit,
        now=local(2026, 3, 4, 10),
        data=data(),
    )
    assert CheckIn.objects.get(appointment=visit).completed_by == abe


def test_no_email_is_sent(cast, pat, schedule, django_capture_on_commit_callbacks):
    visit = book(cast, schedule, local(2026, 3, 5, 14))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        check_in(
            actor=cast.patient_user,
            acting_as=BookedAs.SELF,
            appointment=visit,
            now=local(2026, 3, 4, 10),
            data=data(),
        )
    assert (callbacks, mail.outbox) == ([], [])


# The copay in words.


@pytest.mark.parametrize(
    ("cents", "words"),
    [
        (
            2500,
            "You may be asked to pay $25.00 at your visit. "
            "The final amount can change after your insurance is billed.",
        ),
        (
            123456,
            "You may be asked to pay $1,234.56 at your visit. "
            "The final amount can change after your insurance is billed.",
        ),
        (
            5,
            "You may be asked to pay $0.05 at your visit. "
            "The final amount can change after your insurance is billed.",
        ),
        (None, "Nothing to pay at the visit is expected."),
        (0, "Nothing to pay at the visit is expected."),
    ],
)
def test_copay_words(cents, words):
    assert copay_words(cents) == words
