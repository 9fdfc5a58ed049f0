"""The billing summary: what the patient owes, what is due and by when, each statement with
what is left on it, charges not yet billed or still with insurance, the payment plan's next
instalment and recent payments. Six queries, whatever the number of charges."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Coalesce

from carebridge.billing.models import (
    BillingAccount,
    Charge,
    ChargeStatus,
    Instalment,
    Payment,
    PaymentStatus,
    PlanStatus,
    Statement,
)
from carebridge.billing.money import DEFAULT_CURRENCY
from carebridge.patients.models import Patient

# How many recent payments the summary lists (the history page has them all).
RECENT_PAYMENTS = 5


@dataclass(frozen=True)
class StatementRow:
    """One statement with what is left to pay on it and whether that is late."""

    statement: Statement
    left_cents: int
    is_overdue: bool

    @property
    def is_open(self) -> bool:
        return self.left_cents > 0


@dataclass(frozen=True)
class BillingSummary:
    balance_cents: int
    currency: str
    statements: list[StatementRow]
    # Charges owed but not yet on a statement (not due yet), and charges still with insurance.
    unbilled: list[Charge] = field(default_factory=list)
    with_insurance: list[Charge] = field(default_factory=list)
    next_instalment: Instalment | None = None
    recent_payments: list[Payment] = field(default_factory=list)
    # From the clinic's billing system (FHIR `Account`), when it sent one.
    account_number: str = ""
    guarantor: str = ""
    is_on_hold: bool = False

    @property
    def open_statements(self) -> list[StatementRow]:
        return [row for row in self.statements if row.is_open]

    @property
    def due_cents(self) -> int:
        """What the open statements ask for now: the sum of what is left on each."""
        return sum(row.left_cents for row in self.open_statements)

    @property
    def due_on(self) -> datetime.date | None:
        """The earliest due date of an open statement."""
        return min((row.statement.due_on for row in self.open_statements), default=None)

    @property
    def is_overdue(self) -> bool:
        return any(row.is_overdue for row in self.statements)

    @property
    def unbilled_cents(self) -> int:
        return sum(_unbilled_cents(charge) for charge in self.unbilled)

    @property
    def owes_nothing(self) -> bool:
        return self.balance_cents <= 0


def _unbilled_cents(charge: Charge) -> int:
    """A charge's amount not yet on a statement, as `list_unbilled_charges` annotates it."""
    return int(getattr(charge, "unbilled_cents", 0) or 0)


def get_billing_summary(patient: Patient, *, today: datetime.date) -> BillingSummary:
    """Everything the billing summary shows for one patient (six queries). Reads only: a
    patient with no account yet owes nothing, and none is created."""
    account = BillingAccount.objects.filter(patient=patient).first()
    return BillingSummary(
        balance_cents=account.balance_cents if account else 0,
        currency=account.currency if account else DEFAULT_CURRENCY,
        statements=list_statement_rows(patient, today=today),
        unbilled=list_unbilled_charges(patient),
        with_insurance=list_charges_with_insurance(patient),
        next_instalment=get_next_instalment(patient),
        recent_payments=list_recent_payments(patient),
        account_number=account.account_number if account else "",
        guarantor=account.guarantor if account else "",
        is_on_hold=account.is_on_hold if account else False,
    )


def with_left_cents(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """Statements annotated with `left_cents`: the sum of their ledger entries."""
    return statements.annotate(left_cents=Coalesce(Sum("entries__amount_cents"), 0))


def list_statement_rows(patient: Patient, *, today: datetime.date) -> list[StatementRow]:
    """Every statement of the patient, newest first, with what is left on it (one query)."""
    statements = with_left_cents(Statement.objects.for_patient(patient))
    return [
        StatementRow(
            statement=statement,
            left_cents=int(statement.left_cents),  # type: ignore[attr-defined]
            is_overdue=statement.left_cents > 0 and statement.due_on < today,  # type: ignore[attr-defined]
        )
        for statement in statements
    ]


def list_unbilled_charges(patient: Patient) -> list[Charge]:
    """Charges with an amount not yet filed under a statement, each with `unbilled_cents`:
    the sum of those entries (one query). The filter and the sum share one join, so only the
    entries not yet on a statement are added up."""
    charges = (
        Charge.objects.filter(
            patient=patient, entries__isnull=False, entries__statement__isnull=True
        )
        .annotate(unbilled_cents=Sum("entries__amount_cents"))
        .order_by("-service_date", "visit_key", "line")
    )
    return list(charges)


def list_charges_with_insurance(patient: Patient) -> list[Charge]:
    """Charges sent to insurance and not yet processed: nothing is owed for them yet."""
    charges = Charge.objects.filter(patient=patient, status=ChargeStatus.WITH_INSURANCE)
    return list(charges.order_by("-service_date", "visit_key", "line"))


def get_next_instalment(patient: Patient) -> Instalment | None:
    """The earliest unpaid instalment of the patient's active payment plan (one query)."""
    return (
        Instalment.objects.filter(plan__patient=patient, plan__status=PlanStatus.ACTIVE)
        .filter(paid_cents__lt=F("amount_cents"))
        .select_related("plan")
        .order_by("number")
        .first()
    )


def list_recent_payments(patient: Patient) -> list[Payment]:
    """The latest payments, newest first; cancelled tries are left out (one query)."""
    payments = Payment.objects.filter(patient=patient).exclude(status=PaymentStatus.CANCELLED)
    return list(payments.order_by("-created_at")[:RECENT_PAYMENTS])


@dataclass(frozen=True)
class AmountDue:
    """The home page's line: the balance and the earliest due date of an open statement."""

    balance_cents: int
    currency: str
    due_on: datetime.date | None


def get_amount_due(patient: Patient) -> AmountDue | None:
    """None when the patient owes nothing (one query); else the balance and the earliest due
    date of a statement with something left on it (a second query)."""
    account = BillingAccount.objects.filter(patient=patient).first()
    if account is None or account.balance_cents <= 0:
        return None
    with_left = with_left_cents(Statement.objects.for_patient(patient))
    open_statements = with_left.filter(left_cents__gt=0)  # type: ignore[misc]
    due_on = open_statements.order_by("due_on").values_list("due_on", flat=True).first()
    return AmountDue(account.balance_cents, account.currency, due_on)
