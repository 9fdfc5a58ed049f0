"""Billing's tables, one module per part; every name is re-exported here.

- `ledger`: the account row, statements, charges and the ledger of every change.
- `payments`: payments, refunds and handled webhook events.
- `plans`: payment plans and their instalments.
- `insurance`: coverage on file and the changes patients send.
- `rules`: each clinic's billing rules.
"""

from carebridge.billing.models.insurance import CoverageSource, CoverageStatus, InsuranceCoverage
from carebridge.billing.models.ledger import (
    BillingAccount,
    Charge,
    ChargeSource,
    ChargeStatus,
    EntryKind,
    LedgerEntry,
    Statement,
    StatementQuerySet,
    new_statement_number,
)
from carebridge.billing.models.payments import (
    Method,
    PayerKind,
    Payment,
    PaymentQuerySet,
    PaymentStatus,
    Provider,
    Refund,
    WebhookEvent,
    new_receipt_number,
)
from carebridge.billing.models.plans import Instalment, PaymentPlan, PlanStatus
from carebridge.billing.models.rules import BillingRules

__all__ = [
    "BillingAccount",
    "BillingRules",
    "Charge",
    "ChargeSource",
    "ChargeStatus",
    "CoverageSource",
    "CoverageStatus",
    "EntryKind",
    "Instalment",
    "InsuranceCoverage",
    "LedgerEntry",
    "Method",
    "PayerKind",
    "Payment",
    "PaymentPlan",
    "PaymentQuerySet",
    "PaymentStatus",
    "PlanStatus",
    "Provider",
    "Refund",
    "Statement",
    "StatementQuerySet",
    "WebhookEvent",
    "new_receipt_number",
    "new_statement_number",
]
