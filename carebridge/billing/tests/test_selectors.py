"""Billing selectors: exact amounts, and the same number of queries for 3 charges or 60.

Cast: Pat (her bills in `bills.py`: $50.00 owed, $35.00 of it due on statement 1234-5678-90 by
2 December 2026); Sam owes nothing and has no account row.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.billing.models import EntryKind, Instalment, PaymentPlan
from carebridge.billing.selectors.history import HISTORY_PAGE_SIZE, list_history
from carebridge.billing.selectors.receipts import get_receipt
from carebridge.billing.selectors.statements import get_statement_detail
from carebridge.billing.selectors.summary import get_amount_due, get_billing_summary
from carebridge.billing.services.payments import record_refund
from carebridge.billing.tests.bills import TODAY, make_pats_bills, many_charges, pay_online
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient
from carebridge.testing.personas import Cast

DAY = TODAY.date()


@pytest.mark.django_db
def test_the_summary_adds_up_to_the_cent(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient)
    summary = get_billing_summary(cast.patient, today=DAY)
    assert (summary.balance_cents, summary.due_cents, summary.due_on) == (
        5000,
        3500,
        datetime.date(2026, 12, 2),
    )
    assert summary.is_overdue is False
    assert [(row.statement.pk, row.left_cents) for row in summary.statements] == [
        (bills.statement.pk, 3500)
    ]
    assert [(c.description, c.unbilled_cents) for c in summary.unbilled] == [  # type: ignore[attr-defined]
        ("Copy of records", 1500)
    ]
    assert summary.unbilled_cents == 1500
    assert [c.description for c in summary.with_insurance] == ["Follow-up visit"]
    assert [(p.amount_cents, p.receipt_number) for p in summary.recent_payments] == [
        (2000, "R000000001")
    ]
    assert summary.next_instalment is None


@pytest.mark.django_db
def test_a_statement_past_its_due_date_is_overdue_until_paid(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient)
    late = datetime.date(2026, 12, 3)
    assert get_billing_summary(cast.patient, today=late).is_overdue is True
    pay_online(cast.patient, 3500, statement=bills.statement, key="k2", receipt="R000000002")
    summary = get_billing_summary(cast.patient, today=late)
    assert (summary.is_overdue, summary.due_cents, summary.due_on) == (False, 0, None)
    assert summary.balance_cents == 1500


@pytest.mark.django_db
def test_a_patient_without_an_account_owes_nothing_and_none_is_created(cast: Cast) -> None:
    summary = get_billing_summary(cast.second_patient, today=DAY)
    assert (summary.balance_cents, summary.owes_nothing, summary.statements) == (0, True, [])
    assert get_amount_due(cast.second_patient) is None
    assert not hasattr(Patient.objects.get(pk=cast.second_patient.pk), "billing_account")


@pytest.mark.django_db
def test_the_plans_next_instalment_is_the_earliest_unpaid(cast: Cast) -> None:
    make_pats_bills(cast.patient)
    plan = PaymentPlan.objects.create(
        clinic=cast.clinic, patient=cast.patient, total_cents=5000, instalment_count=2
    )
    Instalment.objects.create(
        plan=plan,
        number=1,
        due_on=datetime.date(2026, 11, 20),
        amount_cents=2500,
        paid_cents=2500,
    )
    Instalment.objects.create(
        plan=plan, number=2, due_on=datetime.date(2026, 12, 20), amount_cents=2500, paid_cents=400
    )
    upcoming = get_billing_summary(cast.patient, today=DAY).next_instalment
    assert upcoming is not None
    assert (upcoming.number, upcoming.left_cents, upcoming.due_on) == (
        2,
        2100,
        datetime.date(2026, 12, 20),
    )


@pytest.mark.django_db
def test_the_statement_groups_lines_by_visit_with_totals(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient)
    detail = get_statement_detail(bills.statement)
    assert [
        (
            visit.service_date,
            visit.clinician,
            visit.place,
            [line.charge.description for line in visit.lines],
        )
        for visit in detail.visits
    ] == [
        (datetime.date(2026, 10, 20), "Dr Grace Hopper", "Elm Road", ["X-ray", "Follow-up visit"]),
        (
            datetime.date(2026, 10, 5),
            "Dr Ada Lovelace",
            "Main Street",
            ["Office visit", "Blood test"],
        ),
    ]
    totals = [
        (
            v.billed_cents,
            v.insurance_paid_cents,
            v.adjusted_cents,
            v.owed_cents,
            v.is_waiting_for_insurance,
        )
        for v in detail.visits
    ]
    assert totals == [(27000, 9000, 1000, 2000, True), (15400, 11400, 500, 3500, False)]
    assert (detail.charged_cents, detail.left_cents) == (5500, 3500)
    assert [(e.amount_cents, e.payment_id) for e in detail.payments] == [(-2000, bills.payment.pk)]
    assert (detail.refunds, detail.adjustments) == ([], [])


@pytest.mark.django_db
def test_a_refund_shows_on_the_statement_and_the_receipt_with_its_reason(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient)
    record_refund(
        actor=Actor(user=cast.billing, acting_as="staff", now=TODAY),
        payment=bills.payment,
        amount_cents=500,
        reason="Charged twice for the blood test",
    )
    detail = get_statement_detail(bills.statement)
    assert [(e.amount_cents, e.reason) for e in detail.refunds] == [
        (500, "Charged twice for the blood test")
    ]
    assert detail.left_cents == 4000
    receipt = get_receipt(bills.payment)
    assert (receipt.is_paid, receipt.refunded_cents, receipt.kept_cents) == (True, 500, 1500)
    assert [(e.statement_id, e.amount_cents) for e in receipt.paid] == [(bills.statement.pk, -2000)]


@pytest.mark.django_db
def test_the_history_is_every_entry_newest_first(cast: Cast) -> None:
    make_pats_bills(cast.patient)
    page = list_history(cast.patient, None)
    assert [(e.kind, e.amount_cents) for e in page.object_list] == [
        (EntryKind.CHARGE, 1500),
        (EntryKind.PAYMENT, -2000),
        (EntryKind.CHARGE, 2000),
        (EntryKind.CHARGE, 1000),
        (EntryKind.CHARGE, 2500),
    ]


def _queries(run: object) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()  # type: ignore[operator]
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_each_page_costs_the_same_queries_for_3_or_60_charges(cast: Cast, count: int) -> None:
    many_charges(cast.patient, count)
    statement = cast.patient.statements.get()
    costs = (
        _queries(lambda: get_billing_summary(cast.patient, today=DAY)),
        _queries(lambda: get_statement_detail(statement)),
        _queries(lambda: list(list_history(cast.patient, 1).object_list)),
        _queries(lambda: get_amount_due(cast.patient)),
    )
    assert costs == (6, 2, 2, 2)
    assert get_billing_summary(cast.patient, today=DAY).statements[
        0
    ].left_cents == 400 * count - 100 * min(count, 8)


@pytest.mark.django_db
def test_the_history_pages_fifty_at_a_time(cast: Cast) -> None:
    many_charges(cast.patient, 60)
    # 60 charges and 8 payments: 68 entries on two pages.
    first, second = list_history(cast.patient, 1), list_history(cast.patient, 2)
    assert (len(first.object_list), len(second.object_list)) == (HISTORY_PAGE_SIZE, 18)
    assert (first.has_next(), second.has_next()) == (True, False)
