"""The account history: every ledger entry, newest first, 50 to a page (two queries a page:
the count and the rows)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from carebridge.billing.models import LedgerEntry
from carebridge.patients.models import Patient

HISTORY_PAGE_SIZE = 50


def list_history(patient: Patient, page_number: str | int | None) -> Page[LedgerEntry]:
    """One page of the patient's ledger, newest first, with each entry's charge, payment,
    refund and statement (for receipts, reasons and statement numbers)."""
    entries = (
        LedgerEntry.objects.filter(patient=patient)
        .select_related("charge", "payment", "refund", "statement")
        .order_by("-created_at", "-id")
    )
    return Paginator(entries, HISTORY_PAGE_SIZE).get_page(page_number)
