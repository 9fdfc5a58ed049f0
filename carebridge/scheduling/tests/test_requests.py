"""Asking for a visit the clinic arranges: the service, its rules and audit, the page, and the
requests listed with their status."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import AppointmentRequest, OnlineBooking, RequestStatus
from carebridge.scheduling.services import request_appointment
from carebridge.scheduling.tests.conftest import NOW
from carebridge.scheduling.tests.factories import make_visit_type
from carebridge.scheduling.tests.pages import PAGE, words
from carebridge.testing.clients import flashed

pytestmark = pytest.mark.django_db

REQUEST = reverse("scheduling:request")


@pytest.fixture
def physical(cast):
    return make_visit_type(
        cast.clinic,
        practitioners=[],
        locations=[],
        name="Annual physical",
        online_booking=OnlineBooking.NOBODY,
    )


def send(cast, visit_type, **changes):
    arguments = {
        "actor": cast.patient_user,
        "acting_as": "self",
        "patient": cast.patient,
        "visit_type": visit_type,
        "reason": "Yearly check",
        "preferences": "Mornings",
    }
    return request_appointment(**(arguments | changes))


def test_a_request_is_stored_and_audited(cast, physical):
    sent = send(cast, physical)
    assert (
        sent.patient,
        sent.visit_type,
        sent.reason,
        sent.preferences,
        sent.status,
        sent.created_by,
        sent.booked_as,
        sent.appointment,
    ) == (
        cast.patient,
        physical,
        "Yearly check",
        "Mornings",
        "requested",
        cast.patient_user,
        "self",
        None,
    )
    events = AuditEvent.objects.filter(object_type="appointment_request")
    assert [(e.actor, e.acting_as, e.action, e.object_id) for e in events] == [
        (cast.patient_user, "self", "create", str(sent.pk))
    ]


def test_a_type_that_can_be_booked_online_is_booked_not_requested(cast):
    bookable = make_visit_type(cast.clinic, practitioners=[], locations=[])
    with pytest.raises(ValidationError) as refused:
        send(cast, bookable)
    assert refused.value.code == "bookable_online"


def test_a_type_for_established_patients_may_be_requested_by_a_new_patient(cast):
    review = make_visit_type(
        cast.clinic, practitioners=[], locations=[], online_booking=OnlineBooking.ESTABLISHED
    )
    assert send(cast, review).status == RequestStatus.REQUESTED


def test_a_type_of_another_clinic_or_not_offered_is_refused(cast, physical):
    other = make_visit_type(
        cast.other_clinic, practitioners=[], locations=[], online_booking=OnlineBooking.NOBODY
    )
    physical.is_active = False
    physical.save()
    for visit_type in (other, physical):
        with pytest.raises(ValidationError) as refused:
            send(cast, visit_type)
        assert refused.value.code == "not_offered"
    assert AppointmentRequest.objects.count() == 0


def test_only_those_who_may_act_for_the_patient(cast, physical):
    with pytest.raises(PermissionDenied):
        send(cast, physical, actor=cast.second_patient_user)
    with pytest.raises(PermissionDenied):
        send(cast, physical, actor=cast.proxies.expired_caregiver, acting_as="proxy")
    assert AppointmentRequest.objects.count() == 0


def test_abe_sends_one_for_pat(cast, act_as, physical):
    abe = act_as(cast.proxies.appointments_caregiver, cast.patient)
    response = abe.post(
        REQUEST, {"visit_type": physical.pk, "reason": "Yearly", "preferences": "Tuesdays"}
    )
    assert (response.status_code, response["Location"]) == (302, PAGE)
    assert flashed(response) == ["Your request is sent. The clinic will reply by e-mail or phone."]
    sent = AppointmentRequest.objects.get()
    assert (sent.patient, sent.created_by, sent.booked_as, sent.preferences) == (
        cast.patient,
        cast.proxies.appointments_caregiver,
        "proxy",
        "Tuesdays",
    )


def test_the_page_offers_only_types_to_ask_for_and_checks_the_choice(
    cast, patient_client, physical
):
    bookable = make_visit_type(cast.clinic, practitioners=[], locations=[], name="Check-up")
    html = patient_client.get(REQUEST, {"type": physical.pk}).content.decode()
    legend = html.split("<fieldset", 1)[1].split("</fieldset>")[0]
    assert words(legend).endswith("What kind of appointment? Annual physical")
    assert f'value="{physical.pk}" id="id_visit_type_0" required checked' in html
    response = patient_client.post(REQUEST, {"visit_type": bookable.pk})
    assert "Select a valid choice." in response.content.decode()
    assert AppointmentRequest.objects.count() == 0


def test_requests_are_listed_with_their_status(cast, patient_client, physical):
    send(cast, physical)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        declined = send(cast, physical, reason="")
    declined.status, declined.staff_reply = RequestStatus.DECLINED, "Please call us."
    declined.save()
    html = patient_client.get(PAGE).content.decode()
    section = html.split('id="requests-heading"', 1)[1].split("</section>", 1)[0]
    cards = [words(c) for c in section.split('<li class="appointment-request">')[1:]]
    assert cards == [
        "Annual physical Sent March 4, 2026 Status Declined The clinic's reply Please call us.",
        "Annual physical Sent March 4, 2026 Status Waiting for the clinic",
    ]
    assert "Yearly check" not in section


def test_the_patient_is_told_the_request_arrived_and_nothing_of_it(
    cast, physical, settings, django_capture_on_commit_callbacks
):
    settings.CAREBRIDGE_BASE_URL = "https://portal.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        send(cast, physical, reason="Lump on my neck", preferences="Not Tuesdays")
    assert [(m.subject, m.body, m.to) for m in mail.outbox] == [
        (
            "[Carebridge] We have your appointment request",
            "The clinic has your appointment request. Staff will answer it, and you will get an "
            "e-mail when they do.\n\nSign in to see its status:\n\n"
            "https://portal.example.org/account/login/\n",
            [cast.patient_user.email],
        )
    ]


def test_a_caregivers_request_is_confirmed_to_the_patients_address(
    cast, physical, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast, physical, actor=cast.proxies.appointments_caregiver, acting_as="proxy")
    assert [m.to for m in mail.outbox] == [[cast.patient_user.email]]
