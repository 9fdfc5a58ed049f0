"""The day's reconciliation: the clinic's day in its own time zone (New York), payments by
provider and method, refunds and totals, on the page and as CSV to the cent.

Cast: Bill (billing staff) reads Riverside's day; Hilltop's money never shows.
"""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import Method, Payment
from carebridge.billing.services.desk import take_desk_payment
from carebridge.billing.services.refunds import refund_payment
from carebridge.core.actor import Actor
from carebridge.patients.models import Patient
from carebridge.staff.tests import billing_setup
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")


def _at(day: int, hour: int, minute: int = 0) -> Actor:
    when = datetime.datetime(2026, 3, day, hour, minute, tzinfo=NEW_YORK)
    return Actor(user=None, acting_as="staff", now=when)


def _pay(
    cast: Cast,
    actor: Actor,
    cents: int,
    method: Method,
    ref: str = "",
    patient: Patient | None = None,
) -> Payment:
    return take_desk_payment(
        actor=actor,
        patient=patient or cast.patient,
        amount_cents=cents,
        method=method,
        reference=ref,
        idempotency_key=f"{actor.now.isoformat()}-{cents}",
    )


@pytest.fixture
def day(cast: Cast) -> dict[str, Payment]:
    """On 2 March (New York): cash $25.00 at 9:00, check $45.10 at 23:30 (already 3 March in
    UTC), card on the machine $100.00 at 12:15, and $10.00 of the cash given back at 16:00.
    Not on it: a payment at 0:30 on 3 March, and Hilltop's cash the same morning."""
    billing_setup.charge(cast, cast.patient, 100000)
    paid = {
        "cash": _pay(cast, _at(2, 9), 2500, Method.CASH),
        "check": _pay(cast, _at(2, 23, 30), 4510, Method.CHECK, "1042"),
        "card": _pay(cast, _at(2, 12, 15), 10000, Method.CARD_TERMINAL, "T-77"),
        "next": _pay(cast, _at(3, 0, 30), 999, Method.CASH),
    }
    hilltop = factories.make_patient(cast.other_clinic)
    billing_setup.charge(cast, hilltop, 5000)
    _pay(cast, _at(2, 10), 5000, Method.CASH, patient=hilltop)
    refund_payment(actor=_at(2, 16), payment=paid["cash"], amount_cents=1000, reason="Overpaid")
    return paid


def test_the_page_totals_the_clinics_day(cast: Cast, day: dict[str, Payment]) -> None:
    response = client_for(cast.billing).get(
        reverse("staff:billing-reconciliation"), {"date": "2026-03-02"}
    )
    report = response.context["report"]
    assert [(g.provider, g.method, g.count, g.total_cents) for g in report.by_method] == [
        ("desk", "card_terminal", 1, 10000),
        ("desk", "cash", 1, 2500),
        ("desk", "check", 1, 4510),
    ]
    assert (report.paid_cents, report.refunded_cents, report.net_cents) == (17010, 1000, 16010)
    body = response.content.decode()
    assert "$170.10" in body and "$160.10" in body and "11:30 p.m." in body
    assert (
        AuditEvent.objects.filter(object_type="billing_reconciliation", action="view").count() == 1
    )


def test_the_csv_is_exact_to_the_cent(cast: Cast, day: dict[str, Payment]) -> None:
    response = client_for(cast.billing).get(
        reverse("staff:billing-reconciliation-csv"), {"date": "2026-03-02"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="reconciliation-2026-03-02.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cash, check, card = day["cash"], day["check"], day["card"]
    utc = datetime.UTC

    def when(payment: Payment) -> str:
        assert payment.completed_at is not None
        return payment.completed_at.astimezone(utc).isoformat()

    refund = cash.refunds.get()
    assert rows == [
        ["kind", "time", "receipt", "provider", "method", "reference", "amount"],
        ["payment", when(cash), cash.receipt_number, "desk", "cash", "", "25.00"],
        ["payment", when(card), card.receipt_number, "desk", "card_terminal", "T-77", "100.00"],
        ["payment", when(check), check.receipt_number, "desk", "check", "1042", "45.10"],
        [
            "refund",
            refund.created_at.astimezone(utc).isoformat(),
            cash.receipt_number,
            "desk",
            "cash",
            "",
            "-10.00",
        ],
        ["total", "", "", "desk", "card_terminal", "", "100.00"],
        ["total", "", "", "desk", "cash", "", "25.00"],
        ["total", "", "", "desk", "check", "", "45.10"],
        ["total refunds", "", "", "", "", "", "-10.00"],
        ["net", "", "", "", "", "", "160.10"],
    ]
    assert (
        AuditEvent.objects.filter(object_type="billing_reconciliation", action="export").count()
        == 1
    )


def test_a_day_that_cannot_be_read_shows_today(cast: Cast) -> None:
    response = client_for(cast.billing).get(
        reverse("staff:billing-reconciliation"), {"date": "2026-02-30"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"date": ["Enter a valid date."]}


@pytest.mark.parametrize("asked", ["9999-12-31", "0001-01-01"])
def test_a_day_out_of_range_is_refused_plainly_and_shows_today(cast: Cast, asked: str) -> None:
    url = reverse("staff:billing-reconciliation")
    for path in (url, reverse("staff:billing-reconciliation-csv")):
        response = client_for(cast.billing).get(path, {"date": asked})
        assert response.status_code == 200
    page = client_for(cast.billing).get(url, {"date": asked})
    (message,) = page.context["form"].errors["date"]
    assert message.startswith("Enter a date between ")
