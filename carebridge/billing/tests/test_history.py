"""The account history page: every entry, newest first, 50 a page, with receipts and reasons.

Cast: Pat (see `bills.py`); Abe and Sam get 404 for Pat's history and nothing changes.
"""

from __future__ import annotations

import re

import pytest

from carebridge.billing.services.charges import post_adjustment
from carebridge.billing.tests.bills import make_pats_bills, many_charges, recently
from carebridge.core.actor import Actor
from carebridge.testing.clients import client_for
from carebridge.testing.matrix import snapshot
from carebridge.testing.personas import Cast

HISTORY = "/billing/history/"


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_every_entry_shows_newest_first_with_receipts_and_reasons(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    post_adjustment(
        actor=Actor(user=cast.billing, acting_as="staff"),
        patient=cast.patient,
        amount_cents=-500,
        reason="Prompt-payment discount",
    )
    html = client_for(cast.patient_user).get(HISTORY).content.decode()
    words = _words(html)
    order = [
        "Taken off: $5.00. Reason: Prompt-payment discount",
        "Charge of $15.00 — Copy of records",
        "Payment of $20.00. Thank you. Receipt R000000001",
        "Charge of $20.00 — X-ray",
        "Charge of $10.00 — Blood test",
        "Charge of $25.00 — Office visit",
    ]
    positions = [words.index(text) for text in order]
    assert positions == sorted(positions)
    assert words.count("On statement 1234-5678-90") == 4
    assert words.count("Not on a bill yet") == 2
    assert f'href="/billing/payments/{bills.payment.pk}/"' in html


@pytest.mark.django_db
def test_history_pages_link_to_earlier_entries(cast: Cast) -> None:
    many_charges(cast.patient, 60)
    first = _words(client_for(cast.patient_user).get(HISTORY).content.decode())
    assert "Page 1 of 2 Earlier entries" in first
    second = _words(client_for(cast.patient_user).get(HISTORY + "?page=2").content.decode())
    assert "Later entries Page 2 of 2" in second
    assert "Earlier entries" not in second


@pytest.mark.django_db
def test_caregiver_sees_pats_history_in_pats_name(cast: Cast) -> None:
    make_pats_bills(cast.patient, issued=recently())
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    assert "<h1>Pat Patient's account history</h1>" in cora.get(HISTORY).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["appointments_caregiver", "billing", "visitor"])
def test_those_who_may_not_see_pats_bills_get_404(cast: Cast, persona: str) -> None:
    make_pats_bills(cast.patient, issued=recently())
    users = {
        "appointments_caregiver": (cast.proxies.appointments_caregiver, cast.patient),
        "billing": (cast.billing, None),
        "visitor": (cast.visitor, None),
    }
    before = snapshot()
    response = client_for(*users[persona]).get(HISTORY)
    assert response.status_code == 404
    assert "Copy of records" not in response.content.decode()
    assert snapshot() == before
