"""Guest pay: a statement paid without an account, with its number and the patient's date of
birth or ZIP code; only the amount due and the clinic's name shown; limited tries.

Cast: Pat (born 14 March 1956, ZIP 01101) owes $80.00 on one statement; her sister pays it as a
guest. Nothing about Pat (her name, her visits) may appear on a guest's page.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import BillingRules, PayerKind, Payment, PaymentStatus, Statement
from carebridge.billing.tests.paying import balance, bill, money_state
from carebridge.notifications.models import Notice
from carebridge.testing.personas import Cast

GUEST = reverse("billing:guest-pay")
SAME_ANSWER = "We could not find a bill to pay with these details."


@pytest.fixture
def statement(cast: Cast) -> Statement:
    cast.patient.postal_code = "01101-2040"
    cast.patient.save(update_fields=["postal_code"])
    return bill(cast.patient, 8000, description="Cardiology follow-up")


def _find(client: Client, number: str, **details: str) -> str:
    response = client.post(GUEST, {"step": "find", "number": number, **details})
    if response.status_code == 302:
        response = client.get(GUEST)
    return response.content.decode()


def _pay(client: Client, amount: str, email: str = "sister@example.org") -> str:
    page = client.get(GUEST).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page)
    assert key is not None
    response = client.post(
        GUEST, {"step": "pay", "amount": amount, "email": email, "key": key.group(1)}
    )
    assert response.status_code == 302, response.content.decode()
    return str(response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "details",
    [{"birth_date": "1956-03-14"}, {"postal_code": "01101"}],
    ids=["birth-date", "zip-code"],
)
def test_the_right_details_show_only_the_amount_due_and_the_clinic(
    client: Client, cast: Cast, statement: Statement, details: dict[str, str]
) -> None:
    page = _find(client, statement.display_number, **details)
    assert "$80.00" in page and "Riverside Family Clinic" in page
    for private in ("Pat", "Patient", "Cardiology", "RFC-1001", "1956"):
        assert private not in page
    assert str(statement.pk) not in page
    viewed = AuditEvent.objects.get(patient=cast.patient, acting_as="guest")
    assert (viewed.acting_as, viewed.object_type, viewed.actor_id) == (
        "guest",
        "billing_statement",
        None,
    )


@pytest.mark.django_db
def test_a_guest_pays_part_and_sees_only_amount_date_receipt_number_and_clinic(
    client: Client, cast: Cast, statement: Statement
) -> None:
    _find(client, statement.number, birth_date="1956-03-14")
    location = _pay(client, "30.25")
    payment = Payment.objects.get()
    assert (payment.payer_kind, payment.payer, payment.receipt_email, payment.statement_id) == (
        PayerKind.GUEST,
        None,
        "sister@example.org",
        statement.pk,
    )
    assert reverse("billing:guest-payment-return", args=[payment.pk]) not in location
    back = client.post(location, {"card_number": "4242424242424242", "pay": "1"})["Location"]
    assert back == reverse("billing:guest-payment-return", args=[payment.pk])
    page = client.get(back).content.decode()
    assert "$30.25" in page and payment.receipt_number in page and "Riverside Family Clinic" in page
    assert "Pat" not in page and "Cardiology" not in page
    assert balance(cast.patient) == 4975
    assert Notice.objects.filter(to_address="sister@example.org").count() == 1
    started = AuditEvent.objects.get(object_type="billing_checkout")
    assert (started.acting_as, started.patient_id, started.actor_id) == (
        "guest",
        cast.patient.pk,
        None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("number", "details"),
    [
        ("right", {"birth_date": "1956-03-15"}),
        ("right", {"postal_code": "01102"}),
        ("right", {"postal_code": "0110"}),
        ("0000000000", {"birth_date": "1956-03-14"}),
        ("not-a-number", {"birth_date": "1956-03-14"}),
    ],
    ids=["wrong-birth-date", "wrong-zip", "short-zip", "unknown-number", "letters"],
)
def test_wrong_details_give_the_same_plain_answer_and_change_nothing(
    client: Client, cast: Cast, statement: Statement, number: str, details: dict[str, str]
) -> None:
    before = (money_state(cast.patient), AuditEvent.objects.count())
    page = _find(client, statement.number if number == "right" else number, **details)
    assert SAME_ANSWER in page and "$80.00" not in page
    assert (money_state(cast.patient), AuditEvent.objects.count()) == before
    assert "billing_guest" not in client.session


@pytest.mark.django_db
def test_guest_pay_switched_off_by_the_clinic_gives_the_same_answer(
    client: Client, cast: Cast, statement: Statement
) -> None:
    BillingRules.objects.create(clinic=cast.clinic, guest_pay_enabled=False)
    page = _find(client, statement.number, birth_date="1956-03-14")
    assert SAME_ANSWER in page and "$80.00" not in page
    assert not AuditEvent.objects.filter(acting_as="guest").exists()


@pytest.mark.django_db
def test_tries_are_limited_per_statement_number_even_with_the_right_details_after(
    cast: Cast, statement: Statement, settings: object
) -> None:
    for attempt in range(5):
        device = Client(REMOTE_ADDR=f"198.51.100.{attempt}")
        assert SAME_ANSWER in _find(device, statement.number, birth_date="1900-01-01")
    owner = Client(REMOTE_ADDR="203.0.113.9")
    assert SAME_ANSWER in _find(owner, statement.number, birth_date="1956-03-14")
    assert not AuditEvent.objects.filter(acting_as="guest").exists()


@pytest.mark.django_db
def test_tries_are_limited_per_device_across_statement_numbers(
    cast: Cast, statement: Statement
) -> None:
    device = Client(REMOTE_ADDR="198.51.100.7")
    for attempt in range(10):
        assert SAME_ANSWER in _find(device, f"55500000{attempt:02d}", birth_date="1956-03-14")
    assert SAME_ANSWER in _find(device, statement.number, birth_date="1956-03-14")
    assert "$80.00" in _find(
        Client(REMOTE_ADDR="198.51.100.8"), statement.number, birth_date="1956-03-14"
    )


@pytest.mark.django_db
def test_a_guest_cannot_pay_more_than_is_due_on_the_statement(
    client: Client, cast: Cast, statement: Statement
) -> None:
    _find(client, statement.number, postal_code="01101")
    page = client.get(GUEST).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page)
    assert key is not None
    before = money_state(cast.patient)
    response = client.post(
        GUEST, {"step": "pay", "amount": "80.01", "email": "s@example.org", "key": key.group(1)}
    )
    assert "Enter an amount from $0.01 to $80.00." in response.content.decode()
    assert money_state(cast.patient) == before


@pytest.mark.django_db
def test_another_browser_cannot_see_a_guests_payment(
    client: Client, cast: Cast, statement: Statement
) -> None:
    _find(client, statement.number, birth_date="1956-03-14")
    _pay(client, "10.00")
    payment = Payment.objects.get()
    stranger = Client()
    for name in ("billing:guest-payment-return", "billing:guest-payment-cancelled"):
        assert stranger.get(reverse(name, args=[payment.pk])).status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    # Pat's own payment pages are not a guest's either.
    assert client.get(reverse("billing:payment-return", args=[payment.pk])).status_code == 302


@pytest.mark.django_db
def test_a_guest_who_cancels_is_told_nothing_was_charged(
    client: Client, cast: Cast, statement: Statement
) -> None:
    _find(client, statement.number, birth_date="1956-03-14")
    location = _pay(client, "10.00")
    cancelled = client.post(location, {"cancel": "1"})["Location"]
    assert "You have not been charged." in client.get(cancelled).content.decode()
    assert Payment.objects.get().status == PaymentStatus.CANCELLED
    assert balance(cast.patient) == 8000


@pytest.mark.django_db
def test_pay_a_different_bill_forgets_the_statement(
    client: Client, cast: Cast, statement: Statement
) -> None:
    _find(client, statement.number, birth_date="1956-03-14")
    client.post(GUEST, {"step": "forget"})
    assert "billing_guest" not in client.session
    assert "Find the bill" in client.get(GUEST).content.decode()
