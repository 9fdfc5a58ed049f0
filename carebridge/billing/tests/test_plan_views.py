"""The payment plan page: choices, setting up, the schedule and its pay link; who may.

Cast: Pat (owes $100.00), Cora (Pat's caregiver with the billing scope: may), Abe (Pat's
caregiver for appointments only: 404, audited denied, nothing changed), Paula (Kit's parent:
Kit's plan, never Pat's), Sam (owes nothing), Bill (billing staff: not through these pages).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import Instalment, PaymentPlan
from carebridge.billing.tests.plan_fixtures import NOW, owe
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

PLAN_URL = "/billing/plan/"


@pytest.fixture
def frozen() -> Iterator[datetime.datetime]:
    """The clock stopped at NOW for the pages, which take the time from the request."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _proxy(cast: Cast, persona: str) -> Client:
    return client_for(getattr(cast.proxies, persona), cast.proxies.acting_for(persona))


def _schedule(patient_id: object) -> list[tuple[datetime.date, int]]:
    rows = Instalment.objects.filter(plan__patient_id=patient_id).order_by("number")
    return [(row.due_on, row.amount_cents) for row in rows]


@pytest.mark.django_db
def test_pat_chooses_three_months_and_sees_the_schedule(
    cast: Cast, frozen: datetime.datetime
) -> None:
    assert reverse("billing:plan") == PLAN_URL
    owe(cast, cast.patient, 10000)
    client = client_for(cast.patient_user)
    page = client.get(PLAN_URL).content.decode()
    assert "You owe $100.00." in page
    assert "2 months: $50.00 a month" in page and "3 months: $33.34 a month" in page
    assert "4 months: $25.00 a month" in page and "5 months" not in page
    response = client.post(PLAN_URL, {"months": "3"})
    assert (response.status_code, response["Location"]) == (302, PLAN_URL)
    assert _schedule(cast.patient.pk) == [
        (datetime.date(2027, 2, 28), 3334),
        (datetime.date(2027, 3, 31), 3333),
        (datetime.date(2027, 4, 30), 3333),
    ]
    page = client.get(PLAN_URL).content.decode()
    assert 'href="/billing/pay/?amount=3334"' in page
    assert "Pay this month's amount" in page
    assert "February 28, 2027" in page and "April 30, 2027" in page
    views = AuditEvent.objects.filter(object_type="billing_plan", action="view")
    assert views.count() == 3 and {e.patient_id for e in views} == {cast.patient.pk}


@pytest.mark.django_db
def test_a_caregiver_with_the_billing_scope_sets_up_pats_plan(
    cast: Cast, frozen: datetime.datetime
) -> None:
    owe(cast, cast.patient, 10000)
    response = _proxy(cast, "full_caregiver").post(PLAN_URL, {"months": "2"})
    assert response.status_code == 302
    plan = PaymentPlan.objects.get()
    assert (plan.patient, plan.created_by) == (cast.patient, cast.proxies.full_caregiver)
    event = AuditEvent.objects.get(object_type="billing_plan", action="create")
    assert (event.acting_as, event.patient_id) == ("proxy", cast.patient.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_caregiver_without_the_billing_scope_gets_404_and_nothing_changes(
    cast: Cast, frozen: datetime.datetime, method: str
) -> None:
    owe(cast, cast.patient, 10000)
    client = _proxy(cast, "appointments_caregiver")
    response = getattr(client, method)(PLAN_URL, {"months": "2"})
    assert response.status_code == 404
    assert not PaymentPlan.objects.exists() and not Instalment.objects.exists()
    denied = AuditEvent.objects.get(object_type="billing_plan")
    assert (denied.outcome, denied.patient_id) == ("denied", cast.patient.pk)


@pytest.mark.django_db
def test_a_parent_sets_up_their_childs_plan_never_pats(
    cast: Cast, frozen: datetime.datetime
) -> None:
    owe(cast, cast.patient, 10000)
    owe(cast, cast.proxies.child, 6000)
    response = _proxy(cast, "parent_of_child").post(PLAN_URL, {"months": "2"})
    assert response.status_code == 302
    assert _schedule(cast.proxies.child.pk) == [
        (datetime.date(2027, 2, 28), 3000),
        (datetime.date(2027, 3, 31), 3000),
    ]
    assert _schedule(cast.patient.pk) == []


@pytest.mark.django_db
def test_staff_and_visitors_get_404(cast: Cast, frozen: datetime.datetime) -> None:
    owe(cast, cast.patient, 10000)
    for user in (cast.billing, cast.front_desk, cast.visitor):
        assert client_for(user).post(PLAN_URL, {"months": "2"}).status_code == 404
    assert not PaymentPlan.objects.exists()


@pytest.mark.django_db
def test_a_choice_outside_the_rules_is_refused_on_the_page(
    cast: Cast, frozen: datetime.datetime
) -> None:
    owe(cast, cast.patient, 10000)
    response = client_for(cast.patient_user).post(PLAN_URL, {"months": "6"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PaymentPlan.objects.exists()


@pytest.mark.django_db
def test_nothing_owed_or_too_little_offers_no_plan(cast: Cast, frozen: datetime.datetime) -> None:
    page = client_for(cast.second_patient_user).get(PLAN_URL).content.decode()
    assert "You owe nothing, so there is no payment plan to set up." in page
    owe(cast, cast.patient, 4000)
    page = client_for(cast.patient_user).get(PLAN_URL).content.decode()
    assert "You owe $40.00. This amount is too small" in page
    assert 'type="radio"' not in page


@pytest.mark.django_db
def test_the_plans_pay_link_fills_in_this_months_amount(
    cast: Cast, frozen: datetime.datetime
) -> None:
    owe(cast, cast.patient, 10000)
    page = client_for(cast.patient_user).get("/billing/pay/?amount=3334").content.decode()
    assert 'value="33.34"' in page
    assert _proxy(cast, "appointments_caregiver").get("/billing/pay/").status_code == 404
