"""Withdrawing a request from the record: the patient (or a caregiver with the messaging scope)
withdraws a request until the clinic answers it; the clinic's queue drops it and cannot answer
it; who withdrew it and when are kept and audited; nobody else may."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from carebridge.audit.models import AuditEvent
from carebridge.messaging.care_requests import start_review, withdraw_request
from carebridge.messaging.models import CareRequest, CareRequestStatus
from carebridge.messaging.tests.test_request_pages import NOW, answer, ask, cora, main_text
from carebridge.testing.clients import client_for, flashed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def withdraw_url(asked: CareRequest) -> str:
    return f"/messages/requests/{asked.pk}/withdraw/"


def test_pat_withdraws_a_request_the_clinic_is_looking_at(cast):
    asked = ask(cast)
    start_review(actor=cast.nurse, care_request=asked)
    client = client_for(cast.patient_user)
    page = client.get(f"/messages/requests/{asked.pk}/").content.decode()
    assert "Withdraw this request" in page
    response = client.post(withdraw_url(asked))
    assert response.status_code == 302
    assert response["Location"] == f"/messages/requests/{asked.pk}/"
    assert flashed(response) == ["Your request is withdrawn. The clinic will not answer it."]
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by, asked.decided_at) == (
        CareRequestStatus.WITHDRAWN,
        cast.patient_user,
        NOW,
    )
    text = main_text(client.get(f"/messages/requests/{asked.pk}/"))
    assert "Withdrawn on March 4, 2026, 10:00 a.m." in text
    assert "Withdraw this request" not in text
    events = AuditEvent.objects.filter(object_type="care_request", action="update")
    assert [(e.actor_id, e.acting_as) for e in events.order_by("pk")] == [
        (cast.nurse.pk, "staff"),
        (cast.patient_user.pk, "self"),
    ]
    assert mail.outbox == []


def test_the_clinic_cannot_answer_a_withdrawn_request_and_its_queue_drops_it(cast):
    asked = ask(cast)
    withdraw_request(actor=cast.patient_user, acting_as="self", care_request=asked, now=NOW)
    queue = client_for(cast.nurse).get("/staff/inbox/requests/?kind=refill").content.decode()
    assert f"/staff/inbox/requests/{asked.pk}/" not in queue
    with pytest.raises(ValidationError) as refused:
        answer(cast, asked, approve=True, note="")
    assert refused.value.messages == [
        "The patient has withdrawn this request: there is nothing to answer."
    ]
    asked.refresh_from_db()
    assert asked.status == CareRequestStatus.WITHDRAWN


def test_an_answered_request_cannot_be_withdrawn(cast):
    asked = ask(cast)
    answer(cast, asked, approve=True, note="Sent to the pharmacy.")
    client = client_for(cast.patient_user)
    assert (
        "Withdraw this request"
        not in client.get(f"/messages/requests/{asked.pk}/").content.decode()
    )
    response = client.post(withdraw_url(asked))
    assert response.status_code == 302
    assert flashed(response) == ["This request has already been answered or withdrawn."]
    asked.refresh_from_db()
    assert asked.status == CareRequestStatus.APPROVED
    assert asked.decided_by == cast.nurse


def test_cora_withdraws_for_pat(cast):
    asked = ask(cast)
    client_for(cora(cast), acting_for=cast.patient).post(withdraw_url(asked))
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (CareRequestStatus.WITHDRAWN, cora(cast))
    event = AuditEvent.objects.get(object_type="care_request", action="update")
    assert (event.acting_as, event.patient_id) == ("proxy", cast.patient.pk)


def test_nobody_else_may_withdraw_it(cast):
    asked = ask(cast)
    others = [
        (cast.second_patient_user, None),
        (cast.proxies.appointments_caregiver, cast.patient),
        (cast.nurse, None),
    ]
    for user, acting_for in others:
        assert client_for(user, acting_for=acting_for).post(withdraw_url(asked)).status_code == 404
    asked.refresh_from_db()
    assert asked.status == CareRequestStatus.SUBMITTED
    assert not AuditEvent.objects.filter(object_type="care_request", action="update").exists()


def test_the_list_says_withdrawn(cast):
    asked = ask(cast)
    withdraw_request(
        actor=cast.patient_user,
        acting_as="self",
        care_request=asked,
        now=NOW + datetime.timedelta(hours=1),
    )
    text = main_text(client_for(cast.patient_user).get("/messages/requests/"))
    assert "Status Withdrawn What was asked Metformin 500 MG" in text
    assert "Withdrawn March 4, 2026, 11:00 a.m." in text
    assert "Answered" not in text
