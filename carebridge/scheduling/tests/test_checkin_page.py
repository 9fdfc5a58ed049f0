"""The online check-in page: what it shows and to whom, its checks, saving, and what the
appointment pages say afterwards. The window and the service are in `test_checkin.py`."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import BookedAs, CheckIn
from carebridge.scheduling.tests.factories import local, make_appointment, make_schedule
from carebridge.scheduling.tests.pages import words
from carebridge.testing import factories
from carebridge.testing.clients import flashed
from carebridge.testing.proxy_personas import make_grant
from carebridge.testing.records import SNOMED, coded, medication_request, next_id, store, subject
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

COPAY = (
    "You may be asked to pay $25.00 at your visit. "
    "The final amount can change after your insurance is billed."
)


def allergy(patient: Any, name: str) -> dict[str, Any]:
    return {
        "resourceType": "AllergyIntolerance",
        "id": next_id("allergy"),
        "code": coded(SNOMED, "7", name),
        "patient": subject(patient),
        "recordedDate": "2020-05-06",
    }


@pytest.fixture
def pat(cast):
    pat = cast.patient
    pat.phone, pat.address_line, pat.city = "555-0111", "1 Elm Street", "Springfield"
    pat.state, pat.postal_code = "MA", "01101"
    pat.save()
    store(pat, allergy(pat, "Penicillin"), medication_request(pat, "Metformin 500 mg"))
    return pat


@pytest.fixture
def schedule(cast):
    questions = "Any new symptoms?\nHave you travelled abroad lately?"
    return make_schedule(
        cast.clinic, name="Check-up", copay_cents=2500, checkin_questions=questions
    )


@pytest.fixture
def visit(pat, schedule):
    """Pat's check-up tomorrow, Thursday, March 5 at 2:00 p.m.: check-in is open."""
    booked = (schedule.visit_type, schedule.practitioner, schedule.location)
    return make_appointment(pat, *booked, local(2026, 3, 5, 14))


def page(appointment) -> str:
    return reverse("scheduling:appointment-check-in", args=[appointment.pk])


def detail(appointment) -> str:
    return reverse("scheduling:appointment-detail", args=[appointment.pk])


def form_text(response) -> str:
    html = response.content.decode()
    return words(html.split('class="checkin-form">', 1)[1].split("</form>", 1)[0])


def valid(**fields: str) -> dict[str, str]:
    values = {
        "phone": "555-0111",
        "address_line": "1 Elm Street",
        "city": "Springfield",
        "state": "MA",
        "postal_code": "01101",
        "contact_confirmed": "on",
        "insurance_payer": "Acme Health",
        "insurance_member_id": "M-123",
        "insurance_group": "",
        "allergies": "right",
        "allergy_changes": "",
        "medications": "changed",
        "medication_changes": "I stopped Metformin",
        "answer_0": "A cough",
        "answer_1": "",
    }
    return values | fields


def errors(response) -> list[str]:
    html = response.content.decode()
    summary = html.split('class="error-summary"', 1)[1].split("</ul>", 1)[0]
    return [words(item) for item in re.findall(r"<li>(.*?)</li>", summary, re.S)]


def events(object_type: str) -> list[tuple]:
    rows = AuditEvent.objects.filter(object_type=object_type).order_by("sequence")
    return [(e.actor.email, e.acting_as, e.action, e.object_id, e.outcome) for e in rows]


# What the page shows.


def test_pat_sees_every_part_of_the_check_in(patient_client, visit):
    response = patient_client.get(page(visit))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Check in for your appointment</h1>" in html
    assert form_text(response) == (
        "Contact details The clinic uses these to reach you. Correct the phone number or "
        "address if they are wrong. E-mail pat@example.org The e-mail address is changed in the "
        "account settings. Phone number Street address City or town State ZIP code "
        "These are right "
        "Insurance Enter the details from the insurance card, or tick the box if there is no "
        "insurance. Insurance company Member ID It is on the insurance card. "
        "Group number (if the card has one) I do not have insurance / I will pay myself "
        "Allergies and medicines Allergies in the health record Penicillin "
        "Are these allergies right? This list is right Something has changed What has changed? "
        "For example: a new allergy, or one that is not right. "
        "Medicines in the health record Metformin 500 mg "
        "Are these medicines right? This list is right Something has changed What has changed? "
        "For example: a new medicine, one you have stopped, or a new dose. "
        "Questions for this visit Answer what you can. You may leave a question empty. "
        "Any new symptoms? Have you travelled abroad lately? "
        f"What to pay {COPAY} Check in Not now, back to the appointment"
    )
    assert 'name="phone" value="555-0111"' in html
    assert 'name="address_line" value="1 Elm Street"' in html
    assert 'name="postal_code" value="01101"' in html


def test_showing_the_lists_is_audited_as_views_of_those_parts(patient_client, visit):
    patient_client.get(page(visit))
    assert events("allergies") == [("pat@example.org", "self", "view", "", "success")]
    assert events("medications") == [("pat@example.org", "self", "view", "", "success")]


def test_with_nothing_to_pay_the_page_says_so(patient_client, visit, schedule):
    schedule.visit_type.copay_cents = None
    schedule.visit_type.save()
    html = patient_client.get(page(visit)).content.decode()
    assert '<p class="checkin-copay">Nothing to pay at the visit is expected.</p>' in html


# Saving.


def test_pat_checks_in(cast, patient_client, visit):
    response = patient_client.post(page(visit), valid())
    assert response.status_code == 302
    assert response["Location"] == detail(visit)
    assert flashed(response) == ["You are checked in. Thank you."]
    saved = CheckIn.objects.get(appointment=visit)
    assert (saved.completed_by, saved.completed_as, saved.copay_cents) == (
        cast.patient_user,
        "self",
        2500,
    )
    assert (saved.insurance_payer, saved.insurance_member_id, saved.self_pay) == (
        "Acme Health",
        "M-123",
        False,
    )
    assert (saved.allergies_confirmed, saved.allergy_changes) == (True, "")
    assert (saved.medications_confirmed, saved.medication_changes) == (
        False,
        "I stopped Metformin",
    )
    assert saved.answers == [
        {"question": "Any new symptoms?", "answer": "A cough"},
        {"question": "Have you travelled abroad lately?", "answer": ""},
    ]
    assert events("check_in") == [("pat@example.org", "self", "create", str(visit.pk), "success")]
    assert events("patient") == []
    assert mail.outbox == []


def test_the_appointment_page_then_says_when(patient_client, visit):
    patient_client.post(page(visit), valid())
    html = patient_client.get(detail(visit)).content.decode()
    section = words(html.split('id="checkin-heading">', 1)[1].split("</section>", 1)[0])
    assert section == (
        "Online check-in Checked in online on Wednesday, March 4, 2026, 10:00 a.m. "
        "Change the check-in answers"
    )


def test_the_appointments_list_says_checked_in(patient_client, visit):
    patient_client.post(page(visit), valid())
    html = patient_client.get(reverse("scheduling:appointments")).content.decode()
    assert "Status Booked (Checked in online)" in words(html)


def test_self_pay_needs_no_insurance(patient_client, visit):
    fields = valid(insurance_payer="", insurance_member_id="", self_pay="on")
    assert patient_client.post(page(visit), fields).status_code == 302
    saved = CheckIn.objects.get(appointment=visit)
    assert (saved.self_pay, saved.insurance_payer) == (True, "")


def test_corrected_contact_details_are_saved_and_audited(pat, patient_client, visit):
    fields = valid(phone="555-0199", address_line="22 Oak Road", city="Shelbyville")
    patient_client.post(page(visit), fields)
    pat.refresh_from_db()
    assert (pat.phone, pat.address_line, pat.city, pat.state) == (
        "555-0199",
        "22 Oak Road",
        "Shelbyville",
        "MA",
    )
    assert events("patient") == [("pat@example.org", "self", "update", str(pat.pk), "success")]


# Checks: the page comes back with its errors and nothing is saved.


def assert_nothing_saved(pat) -> None:
    pat.refresh_from_db()
    assert (CheckIn.objects.count(), pat.phone, events("check_in"), events("patient")) == (
        0,
        "555-0111",
        [],
        [],
    )


def test_insurance_or_self_pay_is_required(pat, patient_client, visit):
    response = patient_client.post(
        page(visit), valid(phone="555-0199", insurance_payer="", insurance_member_id="")
    )
    assert response.status_code == 200
    assert errors(response) == [
        "Insurance company: Enter the insurance company, or tick “I do not have insurance”.",
        "Member ID: Enter the member ID, or tick “I do not have insurance”.",
    ]
    html = response.content.decode()
    assert 'aria-invalid="true" aria-describedby="id_insurance_payer_error"' in html
    assert_nothing_saved(pat)


def test_a_change_needs_words(pat, patient_client, visit):
    response = patient_client.post(page(visit), valid(allergies="changed", allergy_changes=" "))
    assert errors(response) == ["What has changed?: Say what has changed."]
    assert_nothing_saved(pat)


def test_the_contact_details_must_be_confirmed_and_each_list_answered(pat, patient_client, visit):
    fields = valid()
    del fields["contact_confirmed"], fields["allergies"], fields["medications"]
    response = patient_client.post(page(visit), fields)
    assert errors(response) == [
        "These are right: Tick “These are right” once the details are correct.",
        "Are these allergies right?: Choose whether the list is right.",
        "Are these medicines right?: Choose whether the list is right.",
    ]
    html = response.content.decode()
    assert 'href="#id_allergies_0"' in html
    assert 'aria-describedby="id_allergies_error"' in html
    assert 'name="medication_changes" cols="40" rows="3" maxlength="1000"' in html
    assert "I stopped Metformin</textarea>" in html
    assert_nothing_saved(pat)


# Filling in from before.


def test_insurance_is_filled_in_from_the_latest_earlier_check_in(
    cast, pat, patient_client, schedule, visit
):
    booked = (schedule.visit_type, schedule.practitioner, schedule.location)
    for day, payer in ((10, "Old Insurer"), (20, "Acme Health")):
        earlier = make_appointment(pat, *booked, local(2026, 2, day, 9))
        CheckIn.objects.create(
            appointment=earlier,
            completed_at=local(2026, 2, day - 1, 9),
            completed_by=cast.patient_user,
            completed_as=BookedAs.SELF,
            insurance_payer=payer,
            insurance_member_id=f"{payer[:3]}-1",
            insurance_group="G-7",
            allergy_changes="Not copied",
        )
    html = patient_client.get(page(visit)).content.decode()
    assert 'name="insurance_payer" value="Acme Health"' in html
    assert 'value="Acm-1"' in html
    assert 'value="G-7"' in html
    assert "Not copied" not in html
    assert "Old Insurer" not in html


def test_checking_in_again_shows_and_updates_the_answers(pat, patient_client, visit):
    patient_client.post(page(visit), valid())
    html = patient_client.get(page(visit)).content.decode()
    assert 'value="M-123"' in html
    assert 'value="right" id="id_allergies_0" required checked>' in html
    assert 'value="changed" id="id_medications_1" required checked>' in html
    assert "I stopped Metformin</textarea>" in html
    assert "A cough</textarea>" in html
    assert 'name="contact_confirmed" required id="id_contact_confirmed" checked' in html
    patient_client.post(page(visit), valid(medications="right", medication_changes="Ignored"))
    saved = CheckIn.objects.get(appointment=visit)
    assert (saved.medications_confirmed, saved.medication_changes) == (True, "")
    assert [row[2] for row in events("check_in")] == ["create", "update"]


# The window, on the pages.


def test_before_the_window_the_pages_say_when_it_opens(cast, pat, schedule, act_as):
    booked = (schedule.visit_type, schedule.practitioner, schedule.location)
    later = make_appointment(pat, *booked, local(2026, 3, 9, 9, 30))
    client = act_as(cast.patient_user, None)
    response = client.get(page(later))
    html = response.content.decode()
    assert "<h1>Online check-in is not open</h1>" in html
    assert '<p class="checkin-refusal">Online check-in opens on Friday, March 6, 2026.</p>' in html
    posted = client.post(page(later), valid())
    assert posted.status_code == 200
    assert CheckIn.objects.count() == 0
    detail_html = client.get(detail(later)).content.decode()
    assert "<p>Online check-in opens on Friday, March 6, 2026.</p>" in detail_html
    assert page(later) not in detail_html


def test_during_the_window_the_appointment_page_offers_check_in(patient_client, visit):
    html = patient_client.get(detail(visit)).content.decode()
    assert f'<a class="button" href="{page(visit)}">Check in online</a>' in html


def test_once_started_it_is_closed_and_says_go_to_the_front_desk(cast, act_as, visit):
    with time_machine.travel(visit.starts_at, tick=False):
        client = act_as(cast.patient_user, None)
        response = client.get(page(visit))
        posted = client.post(page(visit), valid())
        detail_html = client.get(detail(visit)).content.decode()
    assert (
        '<p class="checkin-refusal">This appointment has already started, so online check-in '
        "has closed. Please check in at the front desk.</p>"
    ) in response.content.decode()
    assert posted.status_code == 200
    assert CheckIn.objects.count() == 0
    assert "checkin-heading" not in detail_html


def test_a_cancelled_appointment_cannot_be_checked_in(cast, patient_client, pat, schedule):
    booked = (schedule.visit_type, schedule.practitioner, schedule.location)
    cancelled = make_appointment(pat, *booked, local(2026, 3, 5, 9), status="cancelled")
    response = patient_client.post(page(cancelled), valid())
    assert (
        "This appointment is cancelled, so there is nothing to check in for."
        in response.content.decode()
    )
    assert CheckIn.objects.count() == 0


# Who may.


def test_abe_checks_in_for_pat_without_seeing_her_allergies_or_medicines(cast, act_as, visit):
    abe = cast.proxies.appointments_caregiver
    client = act_as(abe, cast.patient)
    response = client.get(page(visit))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Check in for Pat Patient</h1>" in html
    for hidden in ("Penicillin", "Metformin", "Allergies and medicines", 'name="allergies"'):
        assert hidden not in html
    assert (events("allergies"), events("medications")) == ([], [])
    fields = valid()
    for name in ("allergies", "allergy_changes", "medications", "medication_changes"):
        del fields[name]
    assert client.post(page(visit), fields).status_code == 302
    saved = CheckIn.objects.get(appointment=visit)
    assert (saved.completed_by, saved.completed_as) == (abe, "proxy")
    assert (saved.allergies_confirmed, saved.medications_confirmed) == (False, False)
    assert events("check_in") == [("abe@example.org", "proxy", "create", str(visit.pk), "success")]


def test_terry_sees_tess_allergies_but_not_her_medicines(cast, act_as, schedule):
    tess = cast.proxies.teen
    store(tess, allergy(tess, "Latex"), medication_request(tess, "Sertraline"))
    booked = (schedule.visit_type, schedule.practitioner, schedule.location)
    visit = make_appointment(tess, *booked, local(2026, 3, 5, 14))
    html = act_as(cast.proxies.parent_of_teen, tess).get(page(visit)).content.decode()
    assert "Latex" in html
    assert not mentions(html, "Sertraline")
    assert 'name="medications"' not in html


def test_a_proxy_without_the_appointments_scope_gets_404(cast, act_as, pat, visit):
    rob = factories.make_user(email="rob@example.org", first_name="Rob", last_name="Record")
    make_grant(pat, rob, granted_by=cast.patient_user, scopes=["record"])
    client = act_as(rob, pat)
    assert client.get(page(visit)).status_code == 404
    assert client.post(page(visit), valid()).status_code == 404
    assert CheckIn.objects.count() == 0


def test_sam_gets_404_for_pats_appointment(cast, act_as, pat, visit):
    client = act_as(cast.second_patient_user, None)
    assert client.get(page(visit)).status_code == 404
    assert client.post(page(visit), valid()).status_code == 404
    pat.refresh_from_db()
    assert (CheckIn.objects.count(), pat.phone) == (0, "555-0111")


# Queries.


def queries(client, url, django_assert_max_num_queries) -> int:
    # A change to the record renews what is kept for the viewer: measure the request after.
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(100) as counted:
        assert client.get(url).status_code == 200
    return len(counted.captured_queries)


def test_the_query_count_does_not_grow_with_the_record(
    pat, patient_client, visit, django_assert_max_num_queries
):
    patient_client.get(page(visit))
    small = queries(patient_client, page(visit), django_assert_max_num_queries)
    many = [allergy(pat, f"Substance {n}") for n in range(60)]
    many += [medication_request(pat, f"Medicine {n}") for n in range(60)]
    store(pat, *many)
    assert queries(patient_client, page(visit), django_assert_max_num_queries) == small


def test_abe_cannot_change_pats_phone_or_address(cast, act_as, visit):
    """Without the account scope the contact details are shown read-only, and a posted change
    is ignored: Pat's details stay hers, and no patient update is audited."""
    client = act_as(cast.proxies.appointments_caregiver, cast.patient)
    html = client.get(page(visit)).content.decode()
    assert re.search(r'name="phone" value="555-0111"[^>]*disabled', html)
    fields = valid(phone="555-0199", address_line="22 Oak Road")
    for name in ("allergies", "allergy_changes", "medications", "medication_changes"):
        del fields[name]
    assert client.post(page(visit), fields).status_code == 302
    cast.patient.refresh_from_db()
    assert (cast.patient.phone, cast.patient.address_line) == ("555-0111", "1 Elm Street")
    assert events("patient") == []


def test_cora_with_the_account_scope_may_correct_them(cast, act_as, visit):
    client = act_as(cast.proxies.full_caregiver, cast.patient)
    assert client.post(page(visit), valid(phone="555-0199")).status_code == 302
    cast.patient.refresh_from_db()
    assert cast.patient.phone == "555-0199"
    assert [e[:3] for e in events("patient")] == [("cora@example.org", "proxy", "update")]
