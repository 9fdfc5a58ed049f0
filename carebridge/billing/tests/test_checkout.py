"""Paying online with the test provider, through the pages: amounts to the cent, a double-click,
two tabs, the provider out of reach, stale checkouts, and who may pay.

Cast: Pat (owes $125.00 on one statement) pays; Cora (every scope for Pat) pays for her as a
proxy; Abe (Pat's appointments only) and Sam (another patient) get 404 and change nothing.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import PayerKind, Payment, PaymentStatus, Statement
from carebridge.billing.providers import ProviderError
from carebridge.billing.providers.built_in import BuiltInProvider
from carebridge.billing.services.checkout import EXPIRED_REASON
from carebridge.billing.tests.paying import balance, bill, money_state, pay_url
from carebridge.notifications.models import Notice
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

OWED = 12500


@pytest.fixture
def statement(cast: Cast) -> Statement:
    return bill(cast.patient, OWED)


def _key(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    found = re.search(r'name="key" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _pay(client: Client, url: str, **data: str) -> tuple[int, str]:
    response = client.post(url, data)
    return response.status_code, response.get("Location", "")


def _card(client: Client, location: str, number: str = "4242 4242 4242 4242") -> str:
    response = client.post(location, {"card_number": number, "pay": "1"})
    assert response.status_code == 302
    return str(response["Location"])


@pytest.mark.django_db
def test_pat_pays_part_of_her_statement_and_the_balance_drops_by_exactly_that(
    cast: Cast, statement: Statement
) -> None:
    client = client_for(cast.patient_user)
    url = pay_url(statement)
    status, location = _pay(client, url, choice="other", amount="25.10", key=_key(client, url))
    payment = Payment.objects.get(patient=cast.patient)
    assert (status, location) == (
        302,
        reverse("billing:test-provider", args=[payment.provider_reference]),
    )
    assert (payment.amount_cents, payment.status, payment.statement_id) == (
        2510,
        "pending",
        statement.pk,
    )
    assert (payment.payer_kind, payment.receipt_email, payment.provider) == (
        PayerKind.PATIENT,
        "pat@example.org",
        "test",
    )
    assert balance(cast.patient) == OWED
    page = client.get(location).content.decode()
    assert "Test payment page — no real card is charged" in page
    assert "$25.10" in page and "Riverside Family Clinic" in page
    back = _card(client, location)
    assert back == reverse("billing:payment-return", args=[payment.pk])
    assert balance(cast.patient) == 9990
    assert "Thank you, you have paid" in client.get(back).content.decode()
    receipt = Notice.objects.get(to_address="pat@example.org")
    assert "$25.10" in receipt.body and "Office visit" not in receipt.body
    audited = AuditEvent.objects.filter(patient=cast.patient, object_id=str(payment.pk))
    # Started by Pat, recorded by the provider's webhook, and the return page viewed by Pat.
    assert sorted(audited.values_list("object_type", "action", "acting_as")) == [
        ("billing_checkout", "create", "self"),
        ("billing_payment", "create", "system"),
        ("billing_payment", "view", "self"),
    ]


@pytest.mark.django_db
def test_a_declined_card_says_so_and_changes_no_balance(cast: Cast, statement: Statement) -> None:
    client = client_for(cast.patient_user)
    url = pay_url()
    _status, location = _pay(client, url, choice="whole", key=_key(client, url))
    back = _card(client, location, "4000 0000 0000 0002")
    page = client.get(back).content.decode()
    assert "The card was declined." in page and "You have not been charged." in page
    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert balance(cast.patient) == OWED
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_another_card_number_is_refused_on_the_test_page(cast: Cast, statement: Statement) -> None:
    client = client_for(cast.patient_user)
    _status, location = _pay(client, pay_url(), choice="whole", key=_key(client, pay_url()))
    response = client.post(location, {"card_number": "5555 5555 5555 4444", "pay": "1"})
    assert response.status_code == 200
    assert "Use one of the test cards shown above." in response.content.decode()
    assert Payment.objects.get().status == PaymentStatus.PENDING
    assert balance(cast.patient) == OWED


@pytest.mark.django_db
def test_cancelling_on_the_provider_page_cancels_the_payment_and_charges_nothing(
    cast: Cast, statement: Statement
) -> None:
    client = client_for(cast.patient_user)
    _status, location = _pay(client, pay_url(), choice="whole", key=_key(client, pay_url()))
    response = client.post(location, {"cancel": "1"})
    payment = Payment.objects.get()
    assert response["Location"] == reverse("billing:payment-cancelled", args=[payment.pk])
    page = client.get(response["Location"]).content.decode()
    assert "You have not been charged." in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert balance(cast.patient) == OWED


@pytest.mark.django_db
def test_a_double_click_is_one_payment_sent_to_one_page(cast: Cast, statement: Statement) -> None:
    client = client_for(cast.patient_user)
    key = _key(client, pay_url())
    first = _pay(client, pay_url(), choice="whole", key=key)
    second = _pay(client, pay_url(), choice="whole", key=key)
    assert first == second
    assert Payment.objects.get().amount_cents == OWED


@pytest.mark.django_db
def test_a_second_tab_cannot_pay_what_the_first_is_paying(cast: Cast, statement: Statement) -> None:
    client = client_for(cast.patient_user)
    first_key, second_key = _key(client, pay_url()), _key(client, pay_url())
    assert _pay(client, pay_url(), choice="whole", key=first_key)[0] == 302
    before = money_state(cast.patient)
    response = client.post(pay_url(), {"choice": "other", "amount": "1.00", "key": second_key})
    assert response.status_code == 200
    assert "a payment for it is already being made" in response.content.decode()
    assert money_state(cast.patient) == before


@pytest.mark.django_db
def test_more_than_is_owed_is_refused_plainly(cast: Cast, statement: Statement) -> None:
    client = client_for(cast.patient_user)
    before = money_state(cast.patient)
    response = client.post(
        pay_url(statement), {"choice": "other", "amount": "125.01", "key": _key(client, pay_url())}
    )
    assert "Enter an amount from $0.01 to $125.00." in response.content.decode()
    assert money_state(cast.patient) == before


@pytest.mark.django_db
def test_the_provider_out_of_reach_fails_the_payment_and_says_nothing_was_charged(
    cast: Cast, statement: Statement, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise ProviderError("timeout")

    monkeypatch.setattr(BuiltInProvider, "start_checkout", unreachable)
    client = client_for(cast.patient_user)
    response = client.post(pay_url(), {"choice": "whole", "key": _key(client, pay_url())})
    assert response.status_code == 200
    assert (
        "We could not reach the card company. You have not been charged. Please try again."
        in response.content.decode()
    )
    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert balance(cast.patient) == OWED
    # The form comes back with a new key, so trying again is a new payment.
    monkeypatch.undo()
    again = _key(client, pay_url())
    assert _pay(client, pay_url(), choice="whole", key=again)[0] == 302
    assert Payment.objects.filter(status=PaymentStatus.PENDING).count() == 1


@pytest.mark.django_db
def test_a_checkout_left_open_too_long_is_given_up_and_the_balance_may_be_paid(
    cast: Cast, statement: Statement
) -> None:
    client = client_for(cast.patient_user)
    _pay(client, pay_url(), choice="whole", key=_key(client, pay_url()))
    old = Payment.objects.get()
    Payment.objects.filter(pk=old.pk).update(
        created_at=old.created_at - datetime.timedelta(minutes=36)
    )
    assert _pay(client, pay_url(), choice="whole", key=_key(client, pay_url()))[0] == 302
    old.refresh_from_db()
    assert (old.status, old.failure_reason) == (PaymentStatus.CANCELLED, EXPIRED_REASON)
    assert Payment.objects.filter(status=PaymentStatus.PENDING).get().amount_cents == OWED


@pytest.mark.django_db
def test_the_amount_in_the_address_fills_in_another_amount(
    cast: Cast, statement: Statement
) -> None:
    page = client_for(cast.patient_user).get(pay_url() + "?amount=4167").content.decode()
    assert 'value="41.67"' in page
    assert re.search(r'value="other"[^>]*checked', page)


@pytest.mark.django_db
def test_cora_pays_for_pat_as_a_proxy_with_the_receipt_to_her_own_address(
    cast: Cast, statement: Statement
) -> None:
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    _status, location = _pay(
        cora, pay_url(), choice="other", amount="10", key=_key(cora, pay_url())
    )
    _card(cora, location)
    payment = Payment.objects.get()
    assert (payment.payer_kind, payment.payer, payment.receipt_email) == (
        PayerKind.PROXY,
        cast.proxies.full_caregiver,
        cast.proxies.full_caregiver.email,
    )
    assert balance(cast.patient) == 11500


@pytest.mark.django_db
def test_abe_without_the_billing_scope_gets_404_audited_and_nothing_changes(
    cast: Cast, statement: Statement
) -> None:
    abe = client_for(cast.proxies.appointments_caregiver, cast.patient)
    before = money_state(cast.patient)
    assert abe.get(pay_url()).status_code == 404
    response = abe.post(pay_url(), {"choice": "whole", "key": "abe-key-000000000001"})
    assert response.status_code == 404
    assert money_state(cast.patient) == before
    denied = AuditEvent.objects.filter(patient=cast.patient, outcome="denied")
    assert denied.count() == 2


@pytest.mark.django_db
def test_sam_cannot_pay_or_see_pats_statement_or_payment(cast: Cast, statement: Statement) -> None:
    pat = client_for(cast.patient_user)
    _pay(pat, pay_url(), choice="whole", key=_key(pat, pay_url()))
    payment = Payment.objects.get()
    sam = client_for(cast.second_patient_user)
    before = money_state(cast.patient)
    assert (
        sam.post(
            pay_url(statement), {"choice": "statement", "key": "sam-key-0000000000001"}
        ).status_code
        == 404
    )
    assert sam.get(reverse("billing:payment-return", args=[payment.pk])).status_code == 404
    assert sam.get(reverse("billing:payment-cancelled", args=[payment.pk])).status_code == 404
    assert money_state(cast.patient) == before
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
