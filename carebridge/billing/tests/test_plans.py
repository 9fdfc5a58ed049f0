"""Payment plans: the choices the rules allow, the schedule to the cent and the day, refusals,
payments paying the earliest instalments, and stopping a plan.

Cast: Pat (the patient, owes money), Sam (another patient, whose account must never move),
Bill (billing staff).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import (
    BillingRules,
    Instalment,
    Method,
    PayerKind,
    Payment,
    PaymentPlan,
    PlanStatus,
    Provider,
)
from carebridge.billing.selectors.rules import rules_for
from carebridge.billing.services.payments import complete_payment
from carebridge.billing.services.plans import (
    add_months,
    cancel_plan,
    create_plan,
    plan_choices,
)
from carebridge.billing.tests.plan_fixtures import NOW, as_patient, as_staff, owe
from carebridge.core.actor import Actor
from carebridge.testing.personas import Cast

TODAY = NOW.date()


def _schedule(plan: PaymentPlan) -> list[tuple[int, datetime.date, int]]:
    return [
        (item.number, item.due_on, item.amount_cents)
        for item in Instalment.objects.filter(plan=plan).order_by("number")
    ]


def test_months_are_added_on_the_same_day_or_the_months_last() -> None:
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2027, 1, 31), 3) == datetime.date(2027, 4, 30)
    assert add_months(datetime.date(2027, 11, 15), 2) == datetime.date(2028, 1, 15)


@pytest.mark.django_db
def test_a_clinic_without_rules_uses_the_defaults(cast: Cast) -> None:
    rules = rules_for(cast.clinic)
    assert rules.pk == cast.clinic.pk and not BillingRules.objects.exists()
    assert (rules.plan_min_balance_cents, rules.plan_min_instalment_cents) == (5000, 2500)
    assert (rules.plan_max_months, rules.plan_reminder_days) == (12, 5)


@pytest.mark.django_db
def test_choices_keep_each_instalment_at_least_the_smallest_allowed(cast: Cast) -> None:
    owe(cast, cast.patient, 10000)
    choices = plan_choices(cast.patient, TODAY)
    assert [(c.months, c.monthly_cents, c.amounts) for c in choices] == [
        (2, 5000, (5000, 5000)),
        (3, 3334, (3334, 3333, 3333)),
        (4, 2500, (2500, 2500, 2500, 2500)),
    ]
    assert {c.first_due_on for c in choices} == {datetime.date(2027, 2, 28)}


@pytest.mark.django_db
def test_choices_follow_the_clinics_own_rules(cast: Cast) -> None:
    BillingRules.objects.create(
        clinic=cast.clinic, plan_min_instalment_cents=1000, plan_max_months=6
    )
    owe(cast, cast.patient, 100000)
    assert [c.months for c in plan_choices(cast.patient, TODAY)] == [2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_a_balance_below_the_smallest_gives_no_choice(cast: Cast) -> None:
    owe(cast, cast.patient, 4999)
    assert plan_choices(cast.patient, TODAY) == []
    assert plan_choices(cast.second_patient, TODAY) == []


@pytest.mark.django_db
def test_a_plan_spreads_the_balance_monthly_to_the_cent(cast: Cast) -> None:
    owe(cast, cast.patient, 10000)
    plan = create_plan(actor=as_patient(cast), patient=cast.patient, months=3)
    assert (plan.total_cents, plan.instalment_count, plan.status) == (10000, 3, PlanStatus.ACTIVE)
    assert plan.created_by == cast.patient_user
    assert _schedule(plan) == [
        (1, datetime.date(2027, 2, 28), 3334),
        (2, datetime.date(2027, 3, 31), 3333),
        (3, datetime.date(2027, 4, 30), 3333),
    ]
    event = AuditEvent.objects.get(object_type="billing_plan")
    assert (event.action, event.patient_id, event.object_id) == (
        "create",
        cast.patient.pk,
        str(plan.pk),
    )


@pytest.mark.django_db
def test_a_second_plan_is_refused_while_one_is_active(cast: Cast) -> None:
    owe(cast, cast.patient, 10000)
    create_plan(actor=as_patient(cast), patient=cast.patient, months=2)
    with pytest.raises(ValidationError) as refused:
        create_plan(actor=as_patient(cast), patient=cast.patient, months=3)
    assert refused.value.code == "plan_exists"
    assert PaymentPlan.objects.count() == 1 and Instalment.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("owed", "months", "code"),
    [
        (10000, 5, "months_not_allowed"),
        (10000, 1, "months_not_allowed"),
        (10000, 13, "months_not_allowed"),
        (4999, 2, "balance_too_small"),
        (0, 2, "balance_too_small"),
    ],
)
def test_plans_outside_the_rules_are_refused_and_nothing_is_saved(
    cast: Cast, owed: int, months: int, code: str
) -> None:
    if owed:
        owe(cast, cast.patient, owed)
    with pytest.raises(ValidationError) as refused:
        create_plan(actor=as_patient(cast), patient=cast.patient, months=months)
    assert refused.value.code == code
    assert not PaymentPlan.objects.exists() and not Instalment.objects.exists()
    assert not AuditEvent.objects.filter(object_type="billing_plan").exists()


@pytest.mark.django_db
def test_payments_pay_the_earliest_instalments_and_finish_the_plan(cast: Cast) -> None:
    owe(cast, cast.patient, 10000)
    plan = create_plan(actor=as_patient(cast), patient=cast.patient, months=3)
    for key, cents in (("a", 4000), ("b", 6000)):
        payment = Payment.objects.create(
            clinic=cast.clinic,
            patient=cast.patient,
            amount_cents=cents,
            provider=Provider.TEST,
            method=Method.CARD_ONLINE,
            idempotency_key=key,
            payer_kind=PayerKind.PATIENT,
        )
        complete_payment(actor=Actor.system(), payment_id=payment.pk)
        if key == "a":
            paid = Instalment.objects.filter(plan=plan).order_by("number")
            assert [item.paid_cents for item in paid] == [3334, 666, 0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED


@pytest.mark.django_db
def test_billing_staff_stop_a_plan_once(cast: Cast) -> None:
    owe(cast, cast.patient, 10000)
    plan = create_plan(actor=as_staff(cast), patient=cast.patient, months=2)
    cancel_plan(actor=as_staff(cast), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CANCELLED
    with pytest.raises(ValidationError):
        cancel_plan(actor=as_staff(cast), plan=plan)
    updates = AuditEvent.objects.filter(object_type="billing_plan", action="update")
    assert updates.count() == 1
    # A new plan may start once the old one is stopped.
    assert create_plan(actor=as_patient(cast), patient=cast.patient, months=4).total_cents == 10000
