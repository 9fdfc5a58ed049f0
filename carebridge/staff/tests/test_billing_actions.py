"""The billing office's actions on a patient's account, to the cent, and every refusal.

Cast: Bill (billing staff) and Ada (clinic administrator) handle money; Casey (clinician),
Nora (nurse), Fran (front desk: insurance, not money), Olive (the other clinic's administrator),
Pat and Cora (her caregiver, billing scope: the patient side only) get 404 and change nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import (
    BillingAccount,
    Charge,
    ChargeSource,
    EntryKind,
    LedgerEntry,
    Method,
    PayerKind,
    Payment,
    Provider,
    Refund,
    Statement,
)
from carebridge.billing.services.payments import complete_payment
from carebridge.core.actor import Actor
from carebridge.notifications.models import Notice, NoticeKind
from carebridge.staff.tests import billing_setup
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.matrix import snapshot
from carebridge.testing.personas import Cast, user_for

pytestmark = pytest.mark.django_db

REFUSED = ("clinician", "nurse", "front_desk", "other_clinic_admin", "patient", "full_caregiver")


def _balance(cast: Cast) -> int:
    account = BillingAccount.objects.get(patient=cast.patient)
    entries = LedgerEntry.objects.filter(patient=cast.patient).values_list(
        "amount_cents", flat=True
    )
    assert account.balance_cents == sum(entries)
    return account.balance_cents


def _bill(cast: Cast) -> Client:
    return client_for(cast.billing)


def _url(name: str, cast: Cast) -> str:
    return reverse(name, args=[cast.patient.pk])


def test_billing_staff_post_a_charge_by_hand(cast: Cast) -> None:
    data = {"service_date": "2026-03-02", "description": "Forms filled in", "amount": "15.5"}
    response = _bill(cast).post(_url("staff:billing-charge", cast), data)
    assert response.status_code == 302
    assert flashed(response) == ["Charge of $15.50 posted."]
    charge = Charge.objects.get(patient=cast.patient)
    assert (charge.source, charge.description, charge.billed_cents, charge.patient_cents) == (
        ChargeSource.MANUAL,
        "Forms filled in",
        1550,
        1550,
    )
    assert _balance(cast) == 1550


def test_a_desk_payment_by_check_is_filed_once_and_a_receipt_is_queued(cast: Cast) -> None:
    billing_setup.charge(cast, cast.patient, 12000)
    client = _bill(cast)
    page = client.get(_url("staff:billing-desk-payment", cast))
    key = page.context["form"].initial["idempotency_key"]
    data = {"amount": "45.10", "method": "check", "reference": "1042", "idempotency_key": key}
    first = client.post(_url("staff:billing-desk-payment", cast), data)
    again = client.post(_url("staff:billing-desk-payment", cast), data)
    assert (first.status_code, again.status_code) == (302, 302)
    payment = Payment.objects.get(patient=cast.patient)
    assert (
        payment.amount_cents,
        payment.provider,
        payment.method,
        payment.desk_reference,
        payment.payer_kind,
        payment.payer,
        payment.status,
    ) == (4510, Provider.DESK, Method.CHECK, "1042", PayerKind.STAFF, cast.billing, "succeeded")
    assert _balance(cast) == 7490
    receipt = Notice.objects.get(kind=NoticeKind.RECEIPT)
    assert receipt.to_address == "pat@example.org"
    assert "$45.10" in receipt.body and "Office visit" not in receipt.body


def test_a_check_needs_its_number_and_more_than_the_balance_is_refused(cast: Cast) -> None:
    billing_setup.charge(cast, cast.patient, 2000)
    url = _url("staff:billing-desk-payment", cast)
    no_number = {"amount": "5", "method": "check", "reference": "", "idempotency_key": "k1"}
    too_much = {"amount": "20.01", "method": "cash", "reference": "", "idempotency_key": "k2"}
    first = _bill(cast).post(url, no_number)
    second = _bill(cast).post(url, too_much)
    assert first.context["form"].errors == {
        "reference": ["Enter the check number or the card machine reference."]
    }
    assert second.context["form"].non_field_errors() == ["That is more than the balance of $20.00."]
    assert (Payment.objects.count(), _balance(cast)) == (0, 2000)


def test_an_adjustment_takes_off_with_a_reason_the_patient_sees(cast: Cast) -> None:
    billing_setup.charge(cast, cast.patient, 12000)
    data = {"direction": "off", "amount": "20", "reason": "Prompt-pay discount"}
    response = _bill(cast).post(_url("staff:billing-adjust", cast), data)
    assert flashed(response) == ["Balance adjusted by -$20.00."]
    entry = LedgerEntry.objects.get(kind=EntryKind.ADJUSTMENT)
    assert (entry.amount_cents, entry.reason, entry.actor) == (
        -2000,
        "Prompt-pay discount",
        cast.billing,
    )
    assert _balance(cast) == 10000
    below = {"direction": "off", "amount": "100.01", "reason": "Too much"}
    refused = _bill(cast).post(_url("staff:billing-adjust", cast), below)
    assert refused.context["form"].non_field_errors() == [
        "That would take the balance below $0.00."
    ]
    assert _balance(cast) == 10000


def test_a_desk_payment_is_refunded_in_part_then_no_more_than_is_left(cast: Cast) -> None:
    payment = billing_setup.owing_and_paid(cast, cast.patient, owed=12000, paid=5000)
    url = reverse("staff:billing-refund", args=[payment.pk])
    response = _bill(cast).post(url, {"amount": "30.00", "reason": "Paid twice"})
    assert flashed(response) == ["Refund of $30.00 recorded."]
    refund = Refund.objects.get(payment=payment)
    assert (refund.amount_cents, refund.reason, refund.refunded_by) == (
        3000,
        "Paid twice",
        cast.billing,
    )
    assert _balance(cast) == 10000
    too_much = _bill(cast).post(url, {"amount": "20.01", "reason": "Again"})
    assert too_much.status_code == 200
    assert too_much.context["form"].non_field_errors() == [
        "Enter an amount no more than what is left of this payment."
    ]
    assert (Refund.objects.count(), _balance(cast)) == (1, 10000)


def test_an_online_payment_is_refunded_through_its_provider(cast: Cast) -> None:
    billing_setup.charge(cast, cast.patient, 8000)
    payment = Payment.objects.create(
        clinic=cast.clinic,
        patient=cast.patient,
        amount_cents=8000,
        provider=Provider.TEST,
        method=Method.CARD_ONLINE,
        provider_reference="tp_refund-me",
        idempotency_key="online",
        payer_kind=PayerKind.PATIENT,
    )
    complete_payment(actor=Actor.system(), payment_id=payment.pk, provider_payment_id="tp_pay")
    assert _balance(cast) == 0
    url = reverse("staff:billing-refund", args=[payment.pk])
    response = _bill(cast).post(url, {"amount": "80.00", "reason": "Visit cancelled"})
    assert flashed(response) == ["Refund of $80.00 recorded."]
    refund = Refund.objects.get(payment=payment)
    assert refund.provider_reference.startswith("tpr_")
    assert (refund.amount_cents, refund.reason, _balance(cast)) == (8000, "Visit cancelled", 8000)


def test_sending_a_statement_files_what_is_owed_and_tells_the_patient_plainly(cast: Cast) -> None:
    billing_setup.owing_and_paid(cast, cast.patient, owed=12000, paid=2500)
    Notice.objects.all().delete()
    response = _bill(cast).post(_url("staff:billing-send-statement", cast), {})
    statement = Statement.objects.get(patient=cast.patient)
    assert flashed(response) == [f"Statement {statement.display_number} sent for $95.00."]
    assert (statement.amount_cents, (statement.due_on - statement.issued_on).days) == (9500, 30)
    notice = Notice.objects.get(kind=NoticeKind.BILL)
    assert notice.to_address == "pat@example.org"
    assert notice.body.startswith(
        "You have a new statement from Riverside Family Clinic. Sign in to see it: "
    )
    assert "$" not in notice.body and "Office visit" not in notice.body
    again = _bill(cast).post(_url("staff:billing-send-statement", cast), {})
    assert again.context["form"].non_field_errors() == [
        "Nothing new is owed: there is nothing to put on a statement."
    ]
    assert Statement.objects.count() == 1


def test_the_account_page_shows_every_money_event_and_is_audited(cast: Cast) -> None:
    payment = billing_setup.owing_and_paid(cast, cast.patient, owed=12000, paid=2500)
    response = _bill(cast).get(_url("staff:billing-account", cast))
    body = response.content.decode()
    for words in ("$95.00", "Office visit", "$120.00", "-$25.00", payment.receipt_number):
        assert words in body
    event = AuditEvent.objects.filter(object_type="billing_account").get()
    assert (event.patient, event.actor, event.action) == (cast.patient, cast.billing, "view")


ACTIONS = [
    ("staff:billing-charge", {"service_date": "2026-03-02", "description": "X", "amount": "5"}),
    (
        "staff:billing-desk-payment",
        {"amount": "5", "method": "cash", "reference": "", "idempotency_key": "refused"},
    ),
    ("staff:billing-adjust", {"direction": "off", "amount": "5", "reason": "Refused"}),
    ("staff:billing-send-statement", {}),
    ("staff:billing-refund", {"amount": "5", "reason": "Refused"}),
    ("staff:billing-account", None),
]


@pytest.mark.parametrize("persona", REFUSED)
@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_everyone_else_gets_404_and_nothing_changes(
    cast: Cast, persona: str, name: str, data: dict[str, str] | None
) -> None:
    payment = billing_setup.owing_and_paid(cast, cast.patient, owed=12000, paid=2500)
    target = payment.pk if name == "staff:billing-refund" else cast.patient.pk
    acting_for = cast.patient if persona == "full_caregiver" else None
    user = user_for(cast, persona)
    client = client_for(user, acting_for)
    before = snapshot()
    url = reverse(name, args=[target])
    response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code == 404
    assert snapshot() == before
    assert _balance(cast) == 9500


def _account_queries(cast: Cast, charges: int, budget: Any) -> int:
    for n in range(charges):
        billing_setup.charge(cast, cast.patient, 100 + n, what=f"Visit {n}")
    client = _bill(cast)
    client.get(_url("staff:billing-account", cast))
    with budget(ACCOUNT_BUDGET) as queries:
        assert client.get(_url("staff:billing-account", cast)).status_code == 200
    return len(queries)


# Session, user and staff checks, the patient, the audit event, and the account's reads.
ACCOUNT_BUDGET = 27


def test_the_account_page_costs_the_same_for_2_charges_as_for_30(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    billing_setup.owing_and_paid(cast, cast.patient, owed=12000, paid=2500)
    few = _account_queries(cast, 2, django_assert_max_num_queries)
    many = _account_queries(cast, 28, django_assert_max_num_queries)
    assert few == many
