"""Reads for the billing console, each within the staff member's own clinic and a constant
number of queries however many patients or entries there are."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from carebridge.billing.models import (
    BillingAccount,
    Charge,
    CoverageStatus,
    InsuranceCoverage,
    LedgerEntry,
    Method,
    Payment,
    PaymentPlan,
    PaymentStatus,
    PlanStatus,
    Provider,
    Refund,
    Statement,
)
from carebridge.billing.services.ledger import statement_balances
from carebridge.patients.models import Patient

if TYPE_CHECKING:
    from carebridge.clinic.models import Clinic

FAILED_DAYS = 30
FILTERS = ("overdue", "plan", "failed")


def list_balances(
    *, clinic: Clinic, today: datetime.date, now: datetime.datetime, show: str = ""
) -> QuerySet[BillingAccount]:
    """Accounts of the clinic's patients owing something, with what is overdue, whether on a
    plan and whether a payment failed in the last 30 days; `show` narrows to one of those."""
    overdue = (
        LedgerEntry.objects.filter(patient=OuterRef("patient"), statement__due_on__lt=today)
        .order_by()
        .values("patient")
        .annotate(total=Sum("amount_cents"))
        .values("total")
    )
    since = now - datetime.timedelta(days=FAILED_DAYS)
    accounts = (
        BillingAccount.objects.filter(clinic=clinic, balance_cents__gt=0)
        .select_related("patient")
        .annotate(
            overdue_cents=Coalesce(Subquery(overdue, output_field=IntegerField()), Value(0)),
            on_plan=Exists(
                PaymentPlan.objects.filter(patient=OuterRef("patient"), status=PlanStatus.ACTIVE)
            ),
            has_failed=Exists(
                Payment.objects.filter(
                    patient=OuterRef("patient"),
                    status=PaymentStatus.FAILED,
                    created_at__gte=since,
                )
            ),
        )
        .order_by("patient__family_name", "patient__given_name", "patient_id")
    )
    if show == "overdue":
        accounts = accounts.filter(overdue_cents__gt=0)
    elif show == "plan":
        accounts = accounts.filter(on_plan=True)
    elif show == "failed":
        accounts = accounts.filter(has_failed=True)
    return accounts


def get_clinic_patient(*, clinic: Clinic, patient_id: uuid.UUID) -> Patient:
    """One of the clinic's patients; 404 for another clinic's or none."""
    patient = Patient.objects.filter(pk=patient_id, clinic=clinic).select_related("user").first()
    if patient is None:
        raise Http404
    return patient


def get_clinic_payment(*, clinic: Clinic, payment_id: uuid.UUID) -> Payment:
    """One of the clinic's payments (with its patient); 404 for another clinic's or none."""
    payment = Payment.objects.filter(pk=payment_id, clinic=clinic).select_related("patient")
    found = payment.first()
    if found is None:
        raise Http404
    return found


@dataclass
class Account:
    """Everything the account page shows of one patient's money."""

    balance_cents: int
    unbilled_cents: int
    entries: list[LedgerEntry]
    charges: list[Charge]
    statements: list[tuple[Statement, int]]
    payments: list[tuple[Payment, int]]
    plan: PaymentPlan | None
    coverages: list[InsuranceCoverage]


def get_account(patient: Patient) -> Account:
    """The patient's ledger, charges, statements (with what is left), payments (with what may
    still be refunded), plan and insurance: a fixed number of queries."""
    balance = BillingAccount.objects.filter(patient=patient).values_list("balance_cents", flat=True)
    left = statement_balances(patient)
    statements = list(Statement.objects.filter(patient=patient))
    payments = list(Payment.objects.filter(patient=patient).prefetch_related("refunds"))
    return Account(
        balance_cents=balance.first() or 0,
        unbilled_cents=left.get(None, 0),
        entries=list(
            LedgerEntry.objects.filter(patient=patient).select_related(
                "charge", "payment", "refund", "statement", "actor"
            )
        ),
        charges=list(Charge.objects.filter(patient=patient)),
        statements=[(statement, left.get(statement.pk, 0)) for statement in statements],
        payments=[(payment, _refundable(payment)) for payment in payments],
        plan=PaymentPlan.objects.filter(patient=patient, status=PlanStatus.ACTIVE)
        .prefetch_related("instalments")
        .first(),
        coverages=list(
            InsuranceCoverage.objects.filter(patient=patient).exclude(
                status=CoverageStatus.DECLINED
            )
        ),
    )


def _refundable(payment: Payment) -> int:
    # The refunds are prefetched: no query per payment.
    if payment.status != PaymentStatus.SUCCEEDED:
        return 0
    return payment.amount_cents - sum(refund.amount_cents for refund in payment.refunds.all())


@dataclass(frozen=True)
class MethodTotal:
    """Payments of one provider and method on the day."""

    provider: str
    method: str
    count: int
    total_cents: int

    def get_provider_display(self) -> str:
        return str(Provider(self.provider).label)

    def get_method_display(self) -> str:
        return str(Method(self.method).label)


@dataclass
class Reconciliation:
    """A day's money at the clinic: payments by provider and method, refunds, totals."""

    day: datetime.date
    by_method: list[MethodTotal]
    payments: list[Payment]
    refunds: list[Refund]
    paid_cents: int
    refunded_cents: int

    @property
    def net_cents(self) -> int:
        return self.paid_cents - self.refunded_cents


def get_reconciliation(*, clinic: Clinic, day: datetime.date) -> Reconciliation:
    """Payments completed and refunds made on `day` in the clinic's time zone."""
    zone = ZoneInfo(clinic.time_zone)
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    paid = Payment.objects.filter(
        clinic=clinic, status=PaymentStatus.SUCCEEDED, completed_at__gte=start, completed_at__lt=end
    )
    groups = [
        MethodTotal(row["provider"], row["method"], row["count"], row["total"])
        for row in paid.order_by("provider", "method")
        .values("provider", "method")
        .annotate(total=Sum("amount_cents"), count=Count("id"))
    ]
    refunds = list(
        Refund.objects.filter(payment__clinic=clinic, created_at__gte=start, created_at__lt=end)
        .select_related("payment")
        .order_by("created_at")
    )
    payments = list(paid.order_by("completed_at"))
    return Reconciliation(
        day=day,
        by_method=groups,
        payments=payments,
        refunds=refunds,
        paid_cents=sum(payment.amount_cents for payment in payments),
        refunded_cents=sum(refund.amount_cents for refund in refunds),
    )


def get_balance(patient: Patient) -> int:
    """The patient's kept balance (0 before any money change)."""
    found = BillingAccount.objects.filter(patient=patient).values_list("balance_cents", flat=True)
    return found.first() or 0


def get_refundable(payment: Payment) -> int:
    """What is left to refund on the payment."""
    if payment.status != PaymentStatus.SUCCEEDED:
        return 0
    refunded = payment.refunds.aggregate(total=Sum("amount_cents"))["total"] or 0
    return payment.amount_cents - int(refunded)
