"""Payment plans: a balance spread over monthly instalments within the clinic's rules, and the
reminders sent before each instalment is due.

Rules (the clinic's `BillingRules` row, or the model's defaults when it has none): a plan runs
from 2 to `plan_max_months` months, each instalment is at least `plan_min_instalment_cents`, and
the balance spread is at least `plan_min_balance_cents`. Instalments are `money.split_evenly`
parts of the balance (the larger ones first), due monthly from one month after the plan starts,
on the same day of the month (the month's last day when it has no such day).

Payments already pay the earliest instalments (`payments._pay_instalments`).

Privacy rule: a reminder says the amount, the clinic and the date, never what the bill is for.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from carebridge.accounts.languages import in_language_of_address
from carebridge.audit.models import AuditAction
from carebridge.billing.models import (
    BillingAccount,
    BillingRules,
    Instalment,
    PaymentPlan,
    PlanStatus,
)
from carebridge.billing.money import format_cents, split_evenly
from carebridge.billing.selectors.rules import rules_for
from carebridge.billing.services.ledger import audit_money_event, lock_account
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import send_after_commit, sign_in_link

if TYPE_CHECKING:
    from carebridge.core.actor import Actor
    from carebridge.patients.models import Patient

PLAN_OBJECT = "billing_plan"
SMALLEST_PLAN = 2


@dataclass(frozen=True)
class PlanChoice:
    """One way to spread the balance: how many months, each month's amount (the first, the
    largest) and the whole schedule."""

    months: int
    monthly_cents: int
    amounts: tuple[int, ...]
    first_due_on: datetime.date


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later, or that month's last day (31 January plus
    one month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def due_dates(start: datetime.date, months: int) -> list[datetime.date]:
    """The instalments' due dates: monthly from one month after `start`."""
    return [add_months(start, number) for number in range(1, months + 1)]


def choices_for_balance(
    balance_cents: int, rules: BillingRules, today: datetime.date
) -> list[PlanChoice]:
    """Every plan the rules allow for this balance, shortest first; none below the smallest
    balance a plan may spread."""
    if balance_cents < rules.plan_min_balance_cents:
        return []
    first_due = add_months(today, 1)
    found = []
    for months in range(SMALLEST_PLAN, rules.plan_max_months + 1):
        amounts = split_evenly(balance_cents, months)
        if amounts[-1] < rules.plan_min_instalment_cents:
            break
        found.append(PlanChoice(months, amounts[0], tuple(amounts), first_due))
    return found


def balance_of(patient: Patient) -> int:
    account = BillingAccount.objects.filter(patient=patient).only("balance_cents").first()
    return account.balance_cents if account is not None else 0


def plan_choices(patient: Patient, today: datetime.date) -> list[PlanChoice]:
    """The plans the patient may choose today for their whole balance (two queries)."""
    return choices_for_balance(balance_of(patient), rules_for(patient.clinic_id), today)


def active_plan(patient: Patient) -> PaymentPlan | None:
    """The patient's active plan with its instalments, or None."""
    plans = PaymentPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE)
    return plans.prefetch_related("instalments").first()


def create_plan(*, actor: Actor, patient: Patient, months: int) -> PaymentPlan:
    """Spread the patient's whole balance over `months` monthly instalments.

    With the account locked: refused (a plain ValidationError) when a plan is already active,
    or the rules do not allow `months` for this balance. Audit: "billing_plan" created,
    against the patient, in the same transaction.
    """
    with transaction.atomic():
        account = lock_account(patient)
        if PaymentPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE).exists():
            raise ValidationError(
                _("There is already a payment plan. It must end before a new one starts."),
                code="plan_exists",
            )
        rules = rules_for(patient.clinic_id)
        _check_balance(account.balance_cents, rules)
        choice = _choice(account.balance_cents, rules, actor.today, months)
        plan = PaymentPlan.objects.create(
            clinic_id=patient.clinic_id,
            patient=patient,
            total_cents=account.balance_cents,
            currency=account.currency,
            instalment_count=months,
            created_by=actor.user,
            created_at=actor.now,
        )
        Instalment.objects.bulk_create(
            Instalment(plan=plan, number=number, due_on=due_on, amount_cents=amount)
            for number, (due_on, amount) in enumerate(
                zip(due_dates(actor.today, months), choice.amounts, strict=True), start=1
            )
        )
        audit_money_event(
            actor, patient, action=AuditAction.CREATE, object_type=PLAN_OBJECT, object_id=plan.pk
        )
    return plan


def _check_balance(balance_cents: int, rules: BillingRules) -> None:
    if balance_cents < rules.plan_min_balance_cents:
        raise ValidationError(
            _("A payment plan needs a balance of at least %(least)s.")
            % {"least": format_cents(rules.plan_min_balance_cents)},
            code="balance_too_small",
        )


def _choice(
    balance_cents: int, rules: BillingRules, today: datetime.date, months: int
) -> PlanChoice:
    for choice in choices_for_balance(balance_cents, rules, today):
        if choice.months == months:
            return choice
    raise ValidationError(
        _("That number of months is not possible for this balance. Please choose one shown."),
        code="months_not_allowed",
    )


def cancel_plan(*, actor: Actor, plan: PaymentPlan) -> PaymentPlan:
    """Stop an active plan (billing staff); the balance is unchanged and still owed. Refused
    when the plan is no longer active. Audit: "billing_plan" updated, against the patient."""
    with transaction.atomic():
        lock_account(plan.patient)
        plan = PaymentPlan.objects.select_for_update().select_related("patient").get(pk=plan.pk)
        if plan.status != PlanStatus.ACTIVE:
            raise ValidationError(_("This payment plan has already ended."), code="not_active")
        plan.status = PlanStatus.CANCELLED
        plan.save(update_fields=["status"])
        audit_money_event(
            actor,
            plan.patient,
            action=AuditAction.UPDATE,
            object_type=PLAN_OBJECT,
            object_id=plan.pk,
        )
    return plan


# --- Reminders ---------------------------------------------------------------------------------

# No clinic may remind earlier than this many days before a due date (a bound for the query).
LONGEST_REMINDER_DAYS = 62


def send_plan_reminders(now: datetime.datetime | None = None) -> int:
    """Queue one reminder for each unpaid instalment of an active plan due within its clinic's
    `plan_reminder_days`; returns how many were queued. Run by the worker on idle ticks.

    Safe to run twice and from two workers: each instalment is locked and marked reminded in
    the transaction that writes its notice to the outbox, so it is reminded once; a mail relay
    that is down delays the notice (the outbox retries), never the marking.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    for instalment_id in _due_for_reminder(today):
        queued += _remind(instalment_id, now=now)
    return queued


def _due_for_reminder(today: datetime.date) -> list[int]:
    """Ids of the unpaid, unreminded instalments due within their clinic's reminder days (two
    queries)."""
    rules = {row.clinic_id: row.plan_reminder_days for row in BillingRules.objects.all()}
    default_days = BillingRules().plan_reminder_days
    within = Q(due_on__lte=today + datetime.timedelta(days=default_days)) & ~Q(
        plan__clinic_id__in=list(rules)
    )
    for clinic_id, days in rules.items():
        horizon = today + datetime.timedelta(days=min(days, LONGEST_REMINDER_DAYS))
        within |= Q(plan__clinic_id=clinic_id, due_on__lte=horizon)
    rows = Instalment.objects.filter(
        within,
        plan__status=PlanStatus.ACTIVE,
        reminded_at__isnull=True,
        due_on__gte=today,
        paid_cents__lt=F("amount_cents"),
    )
    return list(rows.order_by("due_on", "pk").values_list("pk", flat=True))


def _remind(instalment_id: int, *, now: datetime.datetime) -> int:
    with transaction.atomic():
        instalment = (
            Instalment.objects.select_for_update(of=("self",))
            .select_related("plan__patient__user", "plan__clinic")
            .filter(pk=instalment_id, reminded_at__isnull=True)
            .first()
        )
        if instalment is None:
            return 0
        plan = instalment.plan
        address = plan.patient.notice_address
        if address:
            # Sent by the worker, which has no request: written in the patient's language.
            with in_language_of_address(address):
                send_after_commit(
                    address,
                    _("A payment plan reminder from %(clinic)s") % {"clinic": plan.clinic.name},
                    reminder_paragraphs(instalment),
                    kind=NoticeKind.PLAN_REMINDER,
                    clinic=plan.clinic,
                )
        # Marked even without an address, so the sweep does not look at it again.
        instalment.reminded_at = now
        instalment.save(update_fields=["reminded_at"])
    return 1 if address else 0


def reminder_paragraphs(instalment: Instalment) -> list[str]:
    """The reminder's words: the amount left, the clinic, the date and a sign-in link."""
    return [
        _("A payment of %(amount)s for your plan with %(clinic)s is due on %(date)s.")
        % {
            "amount": format_cents(instalment.left_cents),
            "clinic": instalment.plan.clinic.name,
            "date": formats.date_format(instalment.due_on, "DATE_FORMAT"),
        },
        _("Sign in to pay: %(link)s") % {"link": sign_in_link()},
    ]
