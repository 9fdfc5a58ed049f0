"""One statement for display: its lines grouped by visit, then the payments, refunds and
adjustments filed on it, and what is left. Two queries, whatever the number of lines."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from carebridge.billing.models import (
    Charge,
    ChargeStatus,
    EntryKind,
    LedgerEntry,
    Statement,
)


@dataclass(frozen=True)
class StatementLine:
    """One charge as this statement shows it: `owed_cents` is what this statement asks for it
    (its entries filed here), 0 for a line still with insurance."""

    charge: Charge
    owed_cents: int

    @property
    def is_with_insurance(self) -> bool:
        return self.charge.status == ChargeStatus.WITH_INSURANCE


@dataclass
class Visit:
    """The lines of one visit (`Charge.visit_key`) and their totals."""

    key: str
    service_date: datetime.date
    clinician: str
    place: str
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def billed_cents(self) -> int:
        return sum(line.charge.billed_cents for line in self.lines)

    @property
    def insurance_paid_cents(self) -> int:
        return sum(line.charge.insurance_paid_cents for line in self.lines)

    @property
    def adjusted_cents(self) -> int:
        return sum(line.charge.adjusted_cents for line in self.lines)

    @property
    def owed_cents(self) -> int:
        return sum(line.owed_cents for line in self.lines)

    @property
    def is_waiting_for_insurance(self) -> bool:
        return any(line.is_with_insurance for line in self.lines)


@dataclass(frozen=True)
class StatementDetail:
    statement: Statement
    visits: list[Visit]
    # Payments, refunds and adjustments filed on the statement, oldest first.
    payments: list[LedgerEntry]
    refunds: list[LedgerEntry]
    adjustments: list[LedgerEntry]
    left_cents: int

    @property
    def charged_cents(self) -> int:
        return sum(visit.owed_cents for visit in self.visits)


def get_statement_detail(statement: Statement) -> StatementDetail:
    """The statement's lines by visit (newest visit first), what was paid, refunded and
    adjusted on it, and what is left: the sum of every entry filed under it (two queries)."""
    entries = list(
        LedgerEntry.objects.filter(statement=statement)
        .select_related("charge", "payment", "refund")
        .order_by("created_at", "id")
    )
    owed: dict[object, int] = {}
    charges: dict[object, Charge] = {}
    for entry in entries:
        if entry.kind == EntryKind.CHARGE and entry.charge is not None:
            owed[entry.charge_id] = owed.get(entry.charge_id, 0) + entry.amount_cents
            charges[entry.charge_id] = entry.charge
    lines = [StatementLine(charge, owed[pk]) for pk, charge in charges.items()]
    lines += [StatementLine(charge, 0) for charge in _waiting_lines(statement, charges.values())]
    return StatementDetail(
        statement=statement,
        visits=group_by_visit(lines),
        payments=[entry for entry in entries if entry.kind == EntryKind.PAYMENT],
        refunds=[entry for entry in entries if entry.kind == EntryKind.REFUND],
        adjustments=[entry for entry in entries if entry.kind == EntryKind.ADJUSTMENT],
        left_cents=sum(entry.amount_cents for entry in entries),
    )


def _waiting_lines(statement: Statement, charges: object) -> list[Charge]:
    """Lines of the statement's visits still with insurance (they owe nothing yet, so they
    have no entry on it): shown so the patient knows more may come (one query)."""
    keys = {charge.visit_key for charge in charges if charge.visit_key}  # type: ignore[attr-defined]
    if not keys:
        return []
    waiting = Charge.objects.filter(
        patient_id=statement.patient_id, visit_key__in=keys, status=ChargeStatus.WITH_INSURANCE
    )
    return list(waiting)


def group_by_visit(lines: list[StatementLine]) -> list[Visit]:
    """Lines grouped by visit, newest visit first; within a visit, lines keep their order
    (billed lines as they were posted, then those still with insurance)."""
    visits: dict[str, Visit] = {}
    for line in lines:
        charge = line.charge
        key = charge.visit_key or f"charge-{charge.pk}"
        visit = visits.setdefault(
            key, Visit(key, charge.service_date, charge.clinician, charge.place)
        )
        visit.lines.append(line)
    return sorted(visits.values(), key=lambda visit: (visit.service_date, visit.key), reverse=True)
