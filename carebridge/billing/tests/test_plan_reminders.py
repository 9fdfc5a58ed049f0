"""Payment plan reminders: one notice per unpaid instalment due within the clinic's reminder
days, once, to the patient's own address, with no health information; run by the worker.

Cast: Pat (on a plan, e-mail pat@example.org), Sam (on none).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings

from carebridge.billing.models import BillingRules, Instalment, PaymentPlan
from carebridge.billing.services.plans import create_plan, send_plan_reminders
from carebridge.billing.tests.plan_fixtures import as_patient, as_staff, owe
from carebridge.notifications.models import Notice, NoticeKind
from carebridge.testing.personas import Cast
from carebridge.worker.periodic import load_jobs

# The first instalment of a plan made at NOW is due on February 28, 2027.
FIRST_DUE = datetime.date(2027, 2, 28)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(15), tzinfo=datetime.UTC)


def _plan(cast: Cast) -> PaymentPlan:
    owe(cast, cast.patient, 10000)
    return create_plan(actor=as_patient(cast), patient=cast.patient, months=3)


@pytest.mark.django_db
def test_a_reminder_is_queued_once_within_the_reminder_days(cast: Cast) -> None:
    plan = _plan(cast)
    assert send_plan_reminders(_at(FIRST_DUE - datetime.timedelta(days=6))) == 0
    assert send_plan_reminders(_at(FIRST_DUE - datetime.timedelta(days=5))) == 1
    # The worker's next tick, and the day after, send nothing more.
    assert send_plan_reminders(_at(FIRST_DUE - datetime.timedelta(days=5))) == 0
    assert send_plan_reminders(_at(FIRST_DUE - datetime.timedelta(days=4))) == 0
    notice = Notice.objects.get(kind=NoticeKind.PLAN_REMINDER)
    assert notice.to_address == "pat@example.org"
    assert notice.subject == "A payment plan reminder from Riverside Family Clinic"
    assert notice.body.startswith(
        "A payment of $33.34 for your plan with Riverside Family Clinic is due on "
        "February 28, 2027.\n\nSign in to pay: http"
    )
    assert "Office visit" not in notice.body
    first = Instalment.objects.get(plan=plan, number=1)
    assert first.reminded_at == _at(FIRST_DUE - datetime.timedelta(days=5))
    assert Instalment.objects.filter(plan=plan, reminded_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_the_amount_is_what_is_left_and_paid_or_stopped_plans_are_not_reminded(
    cast: Cast,
) -> None:
    plan = _plan(cast)
    Instalment.objects.filter(plan=plan, number=1).update(paid_cents=1000)
    assert send_plan_reminders(_at(FIRST_DUE)) == 1
    assert "A payment of $23.34 " in Notice.objects.get().body
    Instalment.objects.filter(plan=plan, number=2).update(paid_cents=3333)
    assert send_plan_reminders(_at(datetime.date(2027, 3, 30))) == 0
    plan.status = "cancelled"
    plan.save()
    assert send_plan_reminders(_at(datetime.date(2027, 4, 29))) == 0
    assert Notice.objects.count() == 1


@pytest.mark.django_db
def test_the_clinics_own_reminder_days_are_used(cast: Cast) -> None:
    BillingRules.objects.create(clinic=cast.clinic, plan_reminder_days=10)
    _plan(cast)
    assert send_plan_reminders(_at(FIRST_DUE - datetime.timedelta(days=11))) == 0
    assert send_plan_reminders(_at(FIRST_DUE - datetime.timedelta(days=10))) == 1


@pytest.mark.django_db
def test_a_past_due_instalment_is_not_reminded(cast: Cast) -> None:
    _plan(cast)
    assert send_plan_reminders(_at(FIRST_DUE + datetime.timedelta(days=1))) == 0
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_a_relay_that_is_down_keeps_the_notice_queued_and_sends_it_once(
    cast: Cast, relay_down: None, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _plan(cast)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_plan_reminders(_at(FIRST_DUE)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_plan_reminders(_at(FIRST_DUE)) == 0
    notice = Notice.objects.get(kind=NoticeKind.PLAN_REMINDER)
    assert notice.sent_at is None and notice.attempts == 1 and notice.status == "queued"


@pytest.mark.django_db
def test_staff_made_plans_are_reminded_to_the_patient_too(cast: Cast) -> None:
    owe(cast, cast.second_patient, 6000)
    create_plan(actor=as_staff(cast), patient=cast.second_patient, months=2)
    assert send_plan_reminders(_at(FIRST_DUE)) == 1
    assert Notice.objects.get().to_address == "sam@example.org"


def test_the_worker_runs_the_reminders_on_its_idle_ticks() -> None:
    path = "carebridge.billing.services.plans.send_plan_reminders"
    assert path in settings.CAREBRIDGE_WORKER_PERIODIC
    assert [job.__name__ for job in load_jobs([path])] == ["send_plan_reminders"]
