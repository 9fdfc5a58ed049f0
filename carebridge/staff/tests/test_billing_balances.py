"""The billing office's list of patients with balances: who is on it, its filters, its query
budget (the same for 3 patients as for 40), and that each patient shown is audited.

Cast: Bill (billing staff) sees Riverside's patients; Olive (Hilltop's administrator) sees only
Hilltop's, so Pat's balance never shows to her.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import (
    Method,
    PayerKind,
    Payment,
    PaymentPlan,
    PaymentStatus,
    Provider,
    Statement,
)
from carebridge.billing.services.charges import issue_statement
from carebridge.patients.models import Patient
from carebridge.staff.tests import billing_setup
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _names(response: Any) -> list[tuple[str, int, int, bool, bool]]:
    return [
        (a.patient.family_name, a.balance_cents, a.overdue_cents, a.on_plan, a.has_failed)
        for a in response.context["page"].object_list
    ]


def _failed_payment(cast: Cast, patient: Patient, days_ago: int) -> None:
    Payment.objects.create(
        clinic=cast.clinic,
        patient=patient,
        amount_cents=1000,
        provider=Provider.TEST,
        method=Method.CARD_ONLINE,
        status=PaymentStatus.FAILED,
        idempotency_key=f"failed-{days_ago}-{patient.pk}",
        payer_kind=PayerKind.PATIENT,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def accounts(cast: Cast) -> Cast:
    """Pat owes $95.00, all overdue; Sam owes $40.00 on a plan with a payment declined 3 days
    ago; Una owes nothing (paid in full); a Hilltop patient owes $10.00."""
    billing_setup.owing_and_paid(cast, cast.patient, owed=12000, paid=2500)
    statement = issue_statement(actor=billing_setup.bill(cast), patient=cast.patient, due_days=30)
    assert statement is not None
    Statement.objects.filter(pk=statement.pk).update(due_on=datetime.date(2026, 1, 1))
    billing_setup.charge(cast, cast.second_patient, 4000)
    PaymentPlan.objects.create(
        clinic=cast.clinic, patient=cast.second_patient, total_cents=4000, instalment_count=2
    )
    _failed_payment(cast, cast.second_patient, days_ago=3)
    _failed_payment(cast, cast.patient, days_ago=31)
    billing_setup.owing_and_paid(cast, cast.unenrolled_patient, owed=1000, paid=1000)
    hilltop = factories.make_patient(cast.other_clinic, family_name="Hill")
    billing_setup.charge(cast, hilltop, 1000)
    return cast


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("", [("Patient", 9500, 9500, False, False), ("Second", 4000, 0, True, True)]),
        ("overdue", [("Patient", 9500, 9500, False, False)]),
        ("plan", [("Second", 4000, 0, True, True)]),
        ("failed", [("Second", 4000, 0, True, True)]),
        ("nonsense", [("Patient", 9500, 9500, False, False), ("Second", 4000, 0, True, True)]),
    ],
)
def test_patients_with_balances_and_the_filters(
    accounts: Cast, show: str, expected: list[tuple[str, int, int, bool, bool]]
) -> None:
    response = client_for(accounts.billing).get(reverse("staff:billing-balances"), {"show": show})
    assert _names(response) == expected


def test_another_clinics_billing_sees_only_their_own(accounts: Cast) -> None:
    response = client_for(accounts.other_clinic_admin).get(reverse("staff:billing-balances"))
    assert _names(response) == [("Hill", 1000, 0, False, False)]


def test_each_patient_shown_is_audited(accounts: Cast) -> None:
    client_for(accounts.billing).get(reverse("staff:billing-balances"))
    events = AuditEvent.objects.filter(object_type="billing_balances", actor=accounts.billing)
    assert set(events.values_list("patient", flat=True)) == {
        accounts.patient.pk,
        accounts.second_patient.pk,
    }


# Session, user and staff checks, the page's count and rows, and two audit inserts.
BUDGET = 20


def _owing(cast: Cast, count: int) -> None:
    for n in range(count):
        patient = factories.make_patient(cast.clinic, family_name=f"Owes{n:02d}")
        billing_setup.charge(cast, patient, 1000 + n)
        if n % 2:
            _failed_payment(cast, patient, days_ago=1)


def _queries(cast: Cast, count: int, budget: Callable[..., Any]) -> int:
    _owing(cast, count)
    client = client_for(cast.billing)
    client.get(reverse("staff:billing-balances"))
    with budget(BUDGET) as queries:
        response = client.get(reverse("staff:billing-balances"), {"show": "failed"})
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_for_3_patients_as_for_40(
    cast: Cast, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    few = _queries(cast, 3, django_assert_max_num_queries)
    many = _queries(cast, 37, django_assert_max_num_queries)
    assert few == many


def test_the_console_home_links_billing_for_billing_staff_only(cast: Cast) -> None:
    link = '<a href="/staff/billing/">Billing</a>'
    bill = client_for(cast.billing).get(reverse("staff:console")).content.decode()
    fran = client_for(cast.front_desk).get(reverse("staff:console")).content.decode()
    assert (link in bill, link in fran) == (True, False)
