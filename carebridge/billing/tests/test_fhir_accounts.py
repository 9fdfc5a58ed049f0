"""FHIR `Account`: the account number, whom the bills go to and a hold, on the patient's bills.

Cast: Pat (the patient); her daughter pays her bills in the first example.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import BillingAccount
from carebridge.billing.services.charges import issue_statement, post_manual_charge
from carebridge.core.actor import Actor
from carebridge.records.services import store_resources
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def account(fhir_id: str, status: str = "active", **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Account",
        "id": fhir_id,
        "status": status,
        "identifier": [{"system": "urn:example:accounts", "value": "ACCT-20931"}],
        "subject": [{"reference": "Patient/pat"}],
        "guarantor": [{"party": {"reference": "RelatedPerson/daughter"}}],
        **extra,
    }


DAUGHTER = {
    "resourceType": "RelatedPerson",
    "id": "daughter",
    "patient": {"reference": "Patient/pat"},
    "name": [{"given": ["Dana"], "family": "Patient"}],
}


def _store(cast: Cast, *resources: dict[str, Any]) -> None:
    store_resources(
        clinic=cast.clinic, patient=cast.patient, resources=list(resources), source="test"
    )


def _fields(cast: Cast) -> tuple[str, str, bool]:
    row = BillingAccount.objects.get(patient=cast.patient)
    return row.account_number, row.guarantor, row.is_on_hold


def test_the_account_number_and_payer_are_kept_and_importing_again_changes_nothing(
    cast: Cast,
) -> None:
    _store(cast, DAUGHTER)
    _store(cast, account("acct-1"))
    assert _fields(cast) == ("ACCT-20931", "Dana Patient", False)
    events = AuditEvent.objects.filter(patient=cast.patient, object_type="billing").count()
    _store(cast, account("acct-1", description="same account, new version"))
    assert _fields(cast) == ("ACCT-20931", "Dana Patient", False)
    assert AuditEvent.objects.filter(patient=cast.patient, object_type="billing").count() == events


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status": "on-hold"}, ("ACCT-20931", "Pat Patient", True)),
        (
            {"guarantor": [{"party": {"display": "Dana Patient"}, "onHold": True}]},
            ("ACCT-20931", "", True),
        ),
        ({"status": "inactive"}, ("", "", False)),
    ],
)
def test_a_hold_or_an_inactive_account(
    cast: Cast, changes: dict[str, Any], expected: tuple[str, str, bool]
) -> None:
    resource = account("acct-2", guarantor=[{"party": {"display": "Pat Patient"}}]) | changes
    _store(cast, resource)
    assert _fields(cast) == expected


def test_the_bills_and_the_printed_statement_show_the_account(cast: Cast) -> None:
    _store(cast, account("acct-3", guarantor=[{"party": {"display": "Dana Patient"}}]))
    post_manual_charge(
        actor=Actor(user=cast.billing, acting_as="staff"),
        patient=cast.patient,
        service_date=cast.patient.birth_date.replace(year=2026),
        description="Office visit",
        amount_cents=2500,
    )
    statement = issue_statement(actor=Actor.system(), patient=cast.patient, due_days=30)
    assert statement is not None
    client = client_for(cast.patient_user)
    summary = client.get(reverse("billing:summary")).content.decode()
    assert "<dt>Account number</dt><dd>ACCT-20931</dd>" in summary
    assert "<dt>Bills go to</dt><dd>Dana Patient</dd>" in summary
    printed = client.get(reverse("billing:statement-print", args=[statement.pk])).content.decode()
    assert printed.count("<dd>ACCT-20931</dd>") == 2
    assert "/billing/guest/ with the statement number" in printed
