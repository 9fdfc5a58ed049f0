"""A payment's receipt page: only a succeeded payment shows as paid; refunds with reasons.

Cast: Pat paid $20.00 (receipt R000000001) on statement 1234-5678-90; Sam and Abe get 404 for
it and nothing changes.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from carebridge.billing.models import PaymentStatus
from carebridge.billing.services.payments import record_refund
from carebridge.billing.tests.bills import failed_payment, make_pats_bills, pay_online, recently
from carebridge.core.actor import Actor
from carebridge.testing.clients import client_for
from carebridge.testing.matrix import snapshot
from carebridge.testing.personas import Cast


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_a_paid_receipt_says_what_and_how(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    url = reverse("billing:receipt", args=[bills.payment.pk])
    words = _words(client_for(cast.patient_user).get(url).content.decode())
    assert "Payment receipt" in words
    assert "Riverside Family Clinic received $20.00. Thank you." in words
    assert "Amount $20.00" in words
    assert "How Card, online Status Paid Receipt number R000000001" in words
    assert "What it paid Statement 1234-5678-90 : $20.00" in words


@pytest.mark.django_db
def test_a_refund_shows_with_its_reason(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    record_refund(
        actor=Actor(user=cast.billing, acting_as="staff"),
        payment=bills.payment,
        amount_cents=750,
        reason="Charged twice for the blood test",
    )
    url = reverse("billing:receipt", args=[bills.payment.pk])
    words = _words(client_for(cast.patient_user).get(url).content.decode())
    assert "given back on" in words
    assert "$7.50 given back on" in words
    assert "Reason: Charged twice for the blood test" in words
    assert "After refunds, this payment counts as $12.50." in words


@pytest.mark.django_db
def test_a_declined_payment_says_nothing_was_taken(cast: Cast) -> None:
    payment = failed_payment(cast.patient)
    assert payment.status == PaymentStatus.FAILED
    words = _words(
        client_for(cast.patient_user)
        .get(reverse("billing:receipt", args=[payment.pk]))
        .content.decode()
    )
    assert "Payment did not go through" in words
    assert "This payment of $50.00 did not go through. Nothing was taken" in words
    assert "Receipt number" not in words
    assert "Thank you" not in words


@pytest.mark.django_db
def test_a_pending_payment_says_it_is_not_finished(cast: Cast) -> None:
    payment = pay_online(cast.patient, 1234, key="k9", receipt="R000000009", finish=False)
    words = _words(
        client_for(cast.patient_user)
        .get(reverse("billing:receipt", args=[payment.pk]))
        .content.decode()
    )
    assert "This payment of $12.34 is not finished. Nothing has been taken yet" in words
    assert "Receipt number" not in words


@pytest.mark.django_db
def test_cora_sees_pats_receipt(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    response = cora.get(reverse("billing:receipt", args=[bills.payment.pk]))
    assert "R000000001" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["second_patient", "appointments_caregiver", "billing"])
def test_anyone_else_gets_404_and_nothing_changes(cast: Cast, persona: str) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    users = {
        "second_patient": (cast.second_patient_user, None),
        "appointments_caregiver": (cast.proxies.appointments_caregiver, cast.patient),
        "billing": (cast.billing, None),
    }
    before = snapshot()
    response = client_for(*users[persona]).get(reverse("billing:receipt", args=[bills.payment.pk]))
    assert response.status_code == 404
    assert "R000000001" not in response.content.decode()
    assert snapshot() == before
