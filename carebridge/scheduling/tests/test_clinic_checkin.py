"""Online check-in for an appointment the clinic booked in its own system (the EHR's): when it
is open, the page and saving, what the appointment's page says before and after, who may do it,
the audit, and what the front desk sees. The day is Wednesday 4 March 2026, 10 a.m. in New
York (`conftest.NOW`)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.proxies.models import ProxyScope
from carebridge.records.models import ClinicalResource
from carebridge.scheduling.models import CheckIn, ClinicCheckIn
from carebridge.scheduling.services import CheckInData, CheckInState, ContactDetails
from carebridge.scheduling.services.checkin import check_in_state, opens_on_words
from carebridge.scheduling.services.clinic_checkin import (
    check_in_clinic_appointment,
    clinic_target,
)
from carebridge.scheduling.tests.conftest import NOW
from carebridge.scheduling.tests.pages import SENSITIVE, utc, words
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.proxy_personas import make_grant
from carebridge.testing.records import appointment, store

pytestmark = pytest.mark.django_db

NOTHING_TO_PAY = "Nothing to pay at the visit is expected."


@pytest.fixture
def pat(cast):
    pat = cast.patient
    pat.phone, pat.address_line, pat.city = "555-0111", "1 Elm Street", "Springfield"
    pat.state, pat.postal_code = "MA", "01101"
    pat.save()
    return pat


@pytest.fixture
def visits(pat) -> list[ClinicalResource]:
    """Pat's EHR appointments: tomorrow (Thursday 5 March, 9 a.m.: check-in open), a week
    later (Thursday 12 March: not yet), one labelled sensitive tomorrow, and one with no time."""
    return store(
        pat,
        appointment(pat, utc(3, 5, 14)),
        appointment(pat, utc(3, 12, 14)),
        appointment(pat, utc(3, 5, 16), kind="Counselling", meta=SENSITIVE),
        appointment(pat, None, status="proposed"),
    )


@pytest.fixture
def tomorrow(visits) -> ClinicalResource:
    return visits[0]


def page(resource: ClinicalResource) -> str:
    return reverse("scheduling:clinic-appointment-check-in", args=[resource.api_id])


def detail(resource: ClinicalResource) -> str:
    return reverse("scheduling:clinic-appointment", args=[resource.api_id])


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
    }
    return values | fields


def events(object_type: str) -> list[tuple[Any, ...]]:
    rows = AuditEvent.objects.filter(object_type=object_type).order_by("sequence")
    return [(e.actor.email, e.acting_as, e.action, e.object_id, e.outcome) for e in rows]


def status_section(html: str) -> str:
    return words(html.split('id="checkin-heading">', 1)[1].split("</section>", 1)[0])


def data(**fields: Any) -> CheckInData:
    contact = ContactDetails("555-0111", "1 Elm Street", "Springfield", "MA", "01101")
    values: dict[str, Any] = {"contact": contact, "contact_confirmed": True, "self_pay": True}
    return CheckInData(**(values | fields))


# The window.


def test_the_window_is_the_same_as_for_appointments_booked_here(pat, visits):
    tomorrow, next_week, _, no_time = visits
    assert check_in_state(clinic_target(pat, tomorrow), NOW) == CheckInState.OPEN
    assert check_in_state(clinic_target(pat, next_week), NOW) == CheckInState.NOT_YET
    assert opens_on_words(clinic_target(pat, next_week)) == "Monday, March 9, 2026"
    assert check_in_state(clinic_target(pat, tomorrow), utc(3, 5, 14)) == CheckInState.CLOSED
    assert check_in_state(clinic_target(pat, no_time), NOW) == CheckInState.CLOSED


def test_cancelled_arrived_and_untimed_appointments_take_no_check_in(pat):
    cancelled, arrived, pending_untimed = store(
        pat,
        appointment(pat, utc(3, 5, 14), status="cancelled"),
        appointment(pat, utc(3, 5, 15), status="arrived"),
        appointment(pat, None, status="pending"),
    )
    assert check_in_state(clinic_target(pat, cancelled), NOW) == CheckInState.CANCELLED
    assert check_in_state(clinic_target(pat, arrived), NOW) == CheckInState.CLOSED
    assert check_in_state(clinic_target(pat, pending_untimed), NOW) == CheckInState.NOT_YET


# The appointment's page.


def test_the_page_offers_check_in_while_it_is_open(patient_client, tomorrow):
    html = patient_client.get(detail(tomorrow)).content.decode()
    assert status_section(html) == (
        "Online check-in Save time at the front desk: confirm your details and answer a few "
        "questions before you come. Check in online"
    )
    assert f'<a class="button" href="{page(tomorrow)}">Check in online</a>' in html


def test_before_the_window_the_page_says_when_it_opens(patient_client, visits):
    html = patient_client.get(detail(visits[1])).content.decode()
    assert status_section(html) == "Online check-in Online check-in opens on Monday, March 9, 2026."


def test_the_check_in_page_refuses_before_the_window_and_saves_nothing(patient_client, visits):
    response = patient_client.get(page(visits[1]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Online check-in is not open</h1>" in html
    assert '<p class="checkin-refusal">Online check-in opens on Monday, March 9, 2026.</p>' in html
    assert patient_client.post(page(visits[1]), valid()).status_code == 200
    assert ClinicCheckIn.objects.count() == 0


def test_an_appointment_without_a_time_says_why_there_is_no_check_in(patient_client, visits):
    html = patient_client.get(page(visits[3])).content.decode()
    assert (
        '<p class="checkin-refusal">The clinic has not set a time for this appointment yet, '
        "so check-in is not open.</p>" in html
    )


def test_an_appointment_already_arrived_sends_pat_to_the_front_desk(patient_client, pat):
    (arrived,) = store(pat, appointment(pat, utc(3, 4, 16), status="arrived"))
    html = patient_client.get(page(arrived)).content.decode()
    assert (
        '<p class="checkin-refusal">Online check-in is not open for this appointment. '
        "Please check in at the front desk.</p>" in html
    )


# The check-in page and saving.


def test_the_form_has_the_same_steps_without_visit_questions(patient_client, tomorrow):
    response = patient_client.get(page(tomorrow))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Check in for your appointment</h1>" in html
    assert "Questions for this visit" not in html
    form = words(html.split('class="checkin-form">', 1)[1].split("</form>", 1)[0])
    assert form.startswith("Contact details The clinic uses these to reach you.")
    assert form.endswith(f"What to pay {NOTHING_TO_PAY} Check in Not now, back to the appointment")
    assert f'<a href="{detail(tomorrow)}">Not now, back to the appointment</a>' in html
    assert 'name="phone" value="555-0111"' in html


def test_pat_checks_in_and_it_is_audited(cast, patient_client, tomorrow):
    response = patient_client.post(page(tomorrow), valid())
    assert (response.status_code, response["Location"]) == (302, detail(tomorrow))
    assert flashed(response) == ["You are checked in. Thank you."]
    saved = ClinicCheckIn.objects.get(resource=tomorrow)
    assert (saved.completed_by, saved.completed_as, saved.completed_at) == (
        cast.patient_user,
        "self",
        NOW,
    )
    assert (saved.insurance_payer, saved.insurance_member_id, saved.self_pay) == (
        "Acme Health",
        "M-123",
        False,
    )
    assert (saved.allergies_confirmed, saved.medications_confirmed) == (True, False)
    assert saved.medication_changes == "I stopped Metformin"
    assert (saved.answers, saved.copay_cents) == ([], None)
    assert CheckIn.objects.count() == 0
    assert events("check_in") == [
        ("pat@example.org", "self", "create", str(tomorrow.api_id), "success")
    ]
    assert mail.outbox == []


def test_the_page_then_says_checked_in_and_a_second_time_updates(patient_client, tomorrow):
    patient_client.post(page(tomorrow), valid())
    html = patient_client.get(detail(tomorrow)).content.decode()
    assert status_section(html) == (
        "Online check-in Checked in online on Wednesday, March 4, 2026, 10:00 a.m. "
        "Change the check-in answers"
    )
    again = patient_client.get(page(tomorrow)).content.decode()
    assert 'name="insurance_payer" value="Acme Health"' in again
    patient_client.post(page(tomorrow), valid(insurance_payer="Beta Care"))
    assert ClinicCheckIn.objects.get().insurance_payer == "Beta Care"
    assert [row[2] for row in events("check_in")] == ["create", "update"]


def test_a_corrected_phone_is_saved_on_pat_and_audited(cast, patient_client, tomorrow):
    patient_client.post(page(tomorrow), valid(phone="555-0199"))
    cast.patient.refresh_from_db()
    assert cast.patient.phone == "555-0199"
    assert events("patient") == [
        ("pat@example.org", "self", "update", str(cast.patient.pk), "success")
    ]


def test_missing_insurance_is_refused_with_a_message_and_nothing_saved(patient_client, tomorrow):
    response = patient_client.post(page(tomorrow), valid(insurance_member_id=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the member ID, or tick “I do not have insurance”." in html
    assert ClinicCheckIn.objects.count() == 0


# Who may.


def test_abe_checks_in_for_pat(cast, tomorrow):
    abe = cast.proxies.appointments_caregiver
    client = client_for(abe, cast.patient)
    html = client.get(page(tomorrow)).content.decode()
    assert "<h1>Check in for Pat Patient</h1>" in html
    assert "Allergies in the health record" not in html
    fields = valid()
    for name in ("allergies", "allergy_changes", "medications", "medication_changes"):
        fields.pop(name)
    response = client.post(page(tomorrow), fields)
    assert response.status_code == 302
    saved = ClinicCheckIn.objects.get()
    assert (saved.completed_by, saved.completed_as, saved.allergies_confirmed) == (
        abe,
        "proxy",
        False,
    )
    assert events("check_in")[-1] == (abe.email, "proxy", "create", str(tomorrow.api_id), "success")


def test_abe_never_reaches_a_sensitive_appointment(cast, visits):
    client = client_for(cast.proxies.appointments_caregiver, cast.patient)
    assert client.get(page(visits[2])).status_code == 404
    assert client.post(page(visits[2]), valid()).status_code == 404
    assert ClinicCheckIn.objects.count() == 0


def test_pat_checks_in_for_her_sensitive_appointment(patient_client, visits):
    assert patient_client.post(page(visits[2]), valid()).status_code == 302
    assert ClinicCheckIn.objects.get().resource == visits[2]


def test_a_proxy_without_the_appointments_scope_gets_404_audited_as_denied(cast, pat, tomorrow):
    rob = factories.make_user(email="rob@example.org", first_name="Rob", last_name="Record")
    make_grant(pat, rob, granted_by=cast.patient_user, scopes=[ProxyScope.RECORD])
    response = client_for(rob, pat).post(page(tomorrow), valid())
    assert response.status_code == 404
    assert ClinicCheckIn.objects.count() == 0
    assert events("appointments")[-1] == (
        rob.email,
        "proxy",
        "view",
        str(tomorrow.api_id),
        "denied",
    )


def test_another_patients_appointment_is_404(cast, tomorrow):
    sam = client_for(cast.second_patient_user, None)
    assert sam.get(page(tomorrow)).status_code == 404
    assert sam.post(page(tomorrow), valid()).status_code == 404
    assert ClinicCheckIn.objects.count() == 0


def test_the_service_refuses_a_proxy_for_a_sensitive_appointment(cast, pat, visits):
    with pytest.raises(PermissionDenied):
        check_in_clinic_appointment(
            actor=cast.proxies.appointments_caregiver,
            acting_as="proxy",
            patient=pat,
            resource=visits[2],
            now=NOW,
            data=data(),
        )
    assert ClinicCheckIn.objects.count() == 0


def test_the_service_refuses_another_patients_appointment(cast, visits):
    with pytest.raises(PermissionDenied):
        check_in_clinic_appointment(
            actor=cast.second_patient_user,
            acting_as="self",
            patient=cast.second_patient,
            resource=visits[0],
            now=NOW,
            data=data(),
        )


# The front desk.


def test_the_front_desk_sees_it_on_the_day_with_the_answers(cast, patient_client, tomorrow):
    patient_client.post(page(tomorrow), valid())
    desk = client_for(cast.front_desk, None)
    response = desk.get(reverse("staff:schedule-day") + "?date=2026-03-05")
    html = response.content.decode()
    assert response.status_code == 200
    section = html.split('id="clinic-check-ins-heading">', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<h3>(.*?)</h3>", section, re.S)
    assert [words(item) for item in items] == ["9:00 a.m. : Pat Patient"]
    text = words(section)
    assert "Checked in online by Pat Patient (The patient)" in text
    assert "Insurance company Acme Health Member ID M-123" in text
    assert "Changes to medicines I stopped Metformin" in text
    views = AuditEvent.objects.filter(object_type="schedule", patient=cast.patient)
    assert views.count() == 1


def test_the_front_desk_day_without_clinic_check_ins_has_no_such_section(cast, tomorrow):
    html = client_for(cast.front_desk, None).get(reverse("staff:schedule-day")).content.decode()
    assert 'id="clinic-check-ins-heading"' not in html
