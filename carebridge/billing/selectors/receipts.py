"""One payment's receipt: what it paid (the statements it was filed under) and any refunds."""

from __future__ import annotations

from dataclasses import dataclass

from carebridge.billing.models import EntryKind, LedgerEntry, Payment, PaymentStatus, Refund


@dataclass(frozen=True)
class Receipt:
    payment: Payment
    # The payment's entries: what it paid, statement by statement (None: not yet billed).
    paid: list[LedgerEntry]
    refunds: list[Refund]

    @property
    def is_paid(self) -> bool:
        return self.payment.status == PaymentStatus.SUCCEEDED

    @property
    def refunded_cents(self) -> int:
        return sum(refund.amount_cents for refund in self.refunds)

    @property
    def kept_cents(self) -> int:
        """What the clinic kept of the payment, after refunds."""
        return self.payment.amount_cents - self.refunded_cents


def get_receipt(payment: Payment) -> Receipt:
    """The payment's receipt (two queries): only a succeeded payment has paid anything."""
    paid = (
        LedgerEntry.objects.filter(payment=payment, kind=EntryKind.PAYMENT)
        .select_related("statement")
        .order_by("id")
    )
    refunds = Refund.objects.filter(payment=payment).order_by("created_at")
    return Receipt(payment=payment, paid=list(paid), refunds=list(refunds))
