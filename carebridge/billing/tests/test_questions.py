"""Ask about this bill: a conversation with the billing team, the statement attached by
reference, shown on both sides.

Cast: Pat asks about statement 1234-5678-90; the clinic has a "Billing office" team (topics:
billing, answered by front-desk Fran) and a "Family medicine" team (every topic, the nurse).
Sam and Abe get 404 for Pat's statement and nothing is written.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from carebridge.billing.tests.bills import PatsBills, make_pats_bills, recently
from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam, Message, Thread, Topic
from carebridge.notifications.models import Notice
from carebridge.testing.clients import client_for
from carebridge.testing.matrix import snapshot
from carebridge.testing.personas import Cast

QUESTION = "Why was I charged for the blood test twice?"


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _teams(cast: Cast) -> CareTeam:
    general = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    general.members.add(StaffMember.objects.get(user=cast.nurse))
    billing = CareTeam.objects.create(
        clinic=cast.clinic, name="Billing office", topics=[Topic.BILLING]
    )
    billing.members.add(StaffMember.objects.get(user=cast.front_desk))
    return billing


def _url(bills: PatsBills) -> str:
    return reverse("billing:statement-question", args=[bills.statement.pk])


@pytest.mark.django_db
def test_pats_question_goes_to_the_billing_team_with_the_statement(cast: Cast) -> None:
    billing_team = _teams(cast)
    bills = make_pats_bills(cast.patient, issued=recently())
    key = uuid.uuid4()
    response = client_for(cast.patient_user).post(
        _url(bills), {"body": QUESTION, "submission": str(key)}
    )
    thread = Thread.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/messages/{thread.pk}/")
    assert (thread.team, thread.topic, thread.statement, thread.patient) == (
        billing_team,
        Topic.BILLING,
        bills.statement,
        cast.patient,
    )
    assert thread.subject == "Question about statement 1234-5678-90"
    assert list(Message.objects.values_list("body", flat=True)) == [QUESTION]
    # The team is told there is a message; never its words or which bill.
    for notice in Notice.objects.all():
        assert "blood" not in notice.subject + notice.body
        assert "1234" not in notice.subject + notice.body


@pytest.mark.django_db
def test_posting_the_same_form_twice_asks_once(cast: Cast) -> None:
    _teams(cast)
    bills = make_pats_bills(cast.patient, issued=recently())
    form = {"body": QUESTION, "submission": str(uuid.uuid4())}
    pat = client_for(cast.patient_user)
    first, second = pat.post(_url(bills), form), pat.post(_url(bills), form)
    assert first["Location"] == second["Location"]
    assert (Thread.objects.count(), Message.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_an_empty_question_is_refused_and_nothing_is_written(cast: Cast) -> None:
    _teams(cast)
    bills = make_pats_bills(cast.patient, issued=recently())
    before = snapshot()
    response = client_for(cast.patient_user).post(_url(bills), {"body": "  "})
    assert response.status_code == 200
    assert "Write your question." in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_with_no_team_for_billing_the_page_says_to_call(cast: Cast) -> None:
    cast.clinic.phone = "555-0100"
    cast.clinic.save(update_fields=["phone"])
    CareTeam.objects.create(clinic=cast.clinic, name="Nurses", topics=[Topic.OTHER])
    bills = make_pats_bills(cast.patient, issued=recently())
    pat = client_for(cast.patient_user)
    words = _words(pat.get(_url(bills)).content.decode())
    assert "does not take billing questions by message. Please call 555-0100." in words
    before = snapshot()
    response = pat.post(_url(bills), {"body": QUESTION})
    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.django_db
def test_cora_asks_for_pat(cast: Cast) -> None:
    _teams(cast)
    bills = make_pats_bills(cast.patient, issued=recently())
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    cora.post(_url(bills), {"body": QUESTION})
    thread = Thread.objects.get()
    assert (thread.created_by, thread.created_as, thread.statement) == (
        cast.proxies.full_caregiver,
        "proxy",
        bills.statement,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["second_patient", "appointments_caregiver", "front_desk"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anyone_else_gets_404_and_nothing_is_written(cast: Cast, persona: str, method: str) -> None:
    _teams(cast)
    bills = make_pats_bills(cast.patient, issued=recently())
    users = {
        "second_patient": (cast.second_patient_user, None),
        "appointments_caregiver": (cast.proxies.appointments_caregiver, cast.patient),
        "front_desk": (cast.front_desk, None),
    }
    before = snapshot()
    client = client_for(*users[persona])
    response = getattr(client, method)(_url(bills), {"body": QUESTION})
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
def test_both_sides_of_the_conversation_name_the_statement(cast: Cast) -> None:
    _teams(cast)
    bills = make_pats_bills(cast.patient, issued=recently())
    pat = client_for(cast.patient_user)
    pat.post(_url(bills), {"body": QUESTION})
    thread = Thread.objects.get()
    patient_side = pat.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    link = f'<a href="/billing/statements/{bills.statement.pk}/">About statement 1234-5678-90</a>'
    assert link in patient_side
    fran = client_for(cast.front_desk)
    staff_side = fran.get(reverse("staff:inbox-thread", args=[thread.pk])).content.decode()
    assert "About statement 1234-5678-90" in _words(staff_side)
