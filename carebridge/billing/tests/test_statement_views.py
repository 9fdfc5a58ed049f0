"""One statement's page and its printable copy.

Cast: Pat's statement 1234-5678-90 (see `bills.py`): two visits, $55.00 billed to her, $20.00
paid, $35.00 left. Sam's statement must never show to anyone else; Abe (appointments only),
staff and Sam get 404 for Pat's, and nothing changes.
"""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from carebridge.audit.models import AuditEvent
from carebridge.billing.tests.bills import make_pats_bills, recently
from carebridge.clinic.models import Location
from carebridge.testing.clients import client_for
from carebridge.testing.matrix import snapshot
from carebridge.testing.personas import Cast


def _words(html: str) -> str:
    """The page's text with tags taken out and spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_each_visit_is_said_in_plain_words_to_the_cent(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    url = reverse("billing:statement", args=[bills.statement.pk])
    response = client_for(cast.patient_user).get(url)
    words = _words(response.content.decode())
    assert response.status_code == 200
    assert "Statement 1234-5678-90" in words
    assert (
        "Part of this visit is waiting for your insurance. Your insurance paid $90.00. "
        "$10.00 was taken off. You owe $20.00." in words
    )
    assert "Your insurance paid $114.00. $5.00 was taken off. You owe $35.00." in words
    # Each amount carries its column's heading for the stacked rows of a narrow screen.
    assert "Office visit $109.00 $84.00 $0.00 $25.00" in words
    assert "Blood test $45.00 $30.00 $5.00 $10.00" in words
    assert "Follow-up visit Waiting for your insurance $150.00 — — $0.00" in words
    assert (
        '<td role="cell" class="amount" data-label="Billed">$109.00</td>'
        '\n      <td role="cell" class="amount" data-label="Insurance paid">$84.00</td>'
    ) in response.content.decode()
    assert "Visit total $270.00 $90.00 $10.00 $20.00" in words
    assert "With Dr Ada Lovelace, at Main Street" in words
    paid_on = date_format((recently() + datetime.timedelta(days=3)).date(), "DATE_FORMAT")
    assert f"Payment of $20.00 on {paid_on}. Receipt R000000001" in words
    assert "Left to pay $35.00" in words
    assert (
        f'href="/billing/pay/?statement={bills.statement.pk}">Pay $35.00'
        in response.content.decode()
    )


@pytest.mark.django_db
def test_the_view_is_audited_for_the_patient(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    client_for(cast.proxies.full_caregiver, cast.patient).get(
        reverse("billing:statement", args=[bills.statement.pk])
    )
    event = AuditEvent.objects.filter(actor=cast.proxies.full_caregiver).latest("pk")
    assert (event.object_type, event.object_id, event.patient_id, event.acting_as) == (
        "billing_statement",
        str(bills.statement.pk),
        cast.patient.pk,
        "proxy",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["billing:statement", "billing:statement-print"])
def test_cora_sees_pats_statement(cast: Cast, name: str) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    text = cora.get(reverse(name, args=[bills.statement.pk])).content.decode()
    assert "You owe $35.00." in _words(text)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["billing:statement", "billing:statement-print"])
@pytest.mark.parametrize(
    "persona",
    ["second_patient", "appointments_caregiver", "parent_of_child", "billing", "anonymous"],
)
def test_anyone_else_gets_404_and_nothing_changes(cast: Cast, name: str, persona: str) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    users = {
        "second_patient": (cast.second_patient_user, None),
        "appointments_caregiver": (cast.proxies.appointments_caregiver, cast.patient),
        "parent_of_child": (cast.proxies.parent_of_child, cast.proxies.child),
        "billing": (cast.billing, None),
        "anonymous": (None, None),
    }
    url = reverse(name, args=[bills.statement.pk])
    before = snapshot()
    response = client_for(*users[persona]).get(url)
    expected = (302, f"/account/login/?next={url}") if persona == "anonymous" else (404, "")
    assert (response.status_code, response.get("Location", "")) == expected
    assert "1234-5678-90" not in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_abes_try_is_audited_as_denied(cast: Cast) -> None:
    bills = make_pats_bills(cast.patient, issued=recently())
    abe = client_for(cast.proxies.appointments_caregiver, cast.patient)
    abe.get(reverse("billing:statement", args=[bills.statement.pk]))
    event = AuditEvent.objects.filter(actor=cast.proxies.appointments_caregiver).latest("pk")
    assert (event.object_type, event.object_id, event.patient_id, event.outcome) == (
        "billing_statement",
        str(bills.statement.pk),
        cast.patient.pk,
        "denied",
    )


@pytest.mark.django_db
def test_a_statement_that_does_not_exist_is_404(cast: Cast) -> None:
    url = reverse("billing:statement", args=[uuid.UUID(int=7)])
    assert client_for(cast.patient_user).get(url).status_code == 404


@pytest.mark.django_db
def test_the_printable_statement_has_the_clinic_the_lines_and_a_stub(cast: Cast) -> None:
    cast.clinic.phone = "555-0100"
    cast.clinic.save(update_fields=["phone"])
    Location.objects.filter(clinic=cast.clinic).delete()
    Location.objects.create(
        clinic=cast.clinic,
        name="Main",
        address_line="1 River Road",
        city="Springfield",
        state="IL",
        postal_code="62701",
    )
    issued = recently()
    bills = make_pats_bills(cast.patient, issued=issued)
    url = reverse("billing:statement-print", args=[bills.statement.pk])
    html = client_for(cast.patient_user).get(url).content.decode()
    words = _words(html)
    due = date_format(issued.date() + datetime.timedelta(days=30), "DATE_FORMAT")
    assert "Riverside Family Clinic 1 River Road Springfield, IL 62701 Phone: 555-0100" in words
    assert "Patient Pat Patient Statement number 1234-5678-90" in words
    assert f"Date {date_format(issued.date(), 'DATE_FORMAT')} Due by {due}" in words
    assert "Amount of this bill $55.00 Left to pay $35.00" in words
    assert "Office visit $109.00 $84.00 $0.00 $25.00" in words
    assert f"Amount due $35.00 Due by {due} Amount enclosed $ ______________" in words
    assert "css/billing-print.css" in html
    # Receipts are links for the screen, not the paper.
    assert "Receipt R000000001" not in words
