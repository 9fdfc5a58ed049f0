"""A refill request starts from the pharmacy the patient chose on My details: the form says
where it will go (with a link to change it) and the request names that pharmacy.

Cast (with records): Pat takes Lisinopril; she chose Main Street Pharmacy. Cora (every scope)
may change Pat's details; a caregiver with messaging but not the account scope sees no link.
"""

from __future__ import annotations

from typing import Any

import pytest

from carebridge.messaging.models import CareRequest
from carebridge.patients.models import PreferredPharmacy
from carebridge.proxies.models import ProxyGrant
from carebridge.testing.clients import client_for

pytestmark = pytest.mark.django_db

REFILL = "/messages/requests/new/refill/"
SENTENCE = (
    '<p class="preferred-pharmacy">We will send it to Main Street Pharmacy, 3 Main St. '
    '<a href="/account/details/#details-pharmacy">Change</a></p>'
)


@pytest.fixture
def chosen(cast_with_records: Any) -> Any:
    PreferredPharmacy.objects.create(
        patient=cast_with_records.patient, name="Main Street Pharmacy", address="3 Main St"
    )
    return cast_with_records


def test_the_form_says_where_it_goes_and_preselects_the_pharmacy(chosen: Any) -> None:
    page = client_for(chosen.patient_user).get(REFILL).content.decode()
    assert SENTENCE in page
    assert 'value="Main Street Pharmacy, 3 Main St"' in page


def test_the_request_goes_to_the_preferred_pharmacy(chosen: Any) -> None:
    client = client_for(chosen.patient_user)
    client.post(
        REFILL,
        {
            "medicines": [str(chosen.record.medication.pk)],
            "pharmacy": "Main Street Pharmacy, 3 Main St",
        },
    )
    assert CareRequest.objects.get().details["pharmacy"] == "Main Street Pharmacy, 3 Main St"


def test_without_a_preferred_pharmacy_the_form_asks(cast_with_records: Any) -> None:
    page = client_for(cast_with_records.patient_user).get(REFILL).content.decode()
    assert "We will send it to" not in page


def test_a_caregiver_without_the_account_scope_sees_no_change_link(chosen: Any) -> None:
    ProxyGrant.objects.filter(proxy=chosen.proxy_cast.full_caregiver).update(
        scopes=["record", "messaging"]
    )
    cora = client_for(chosen.proxy_cast.full_caregiver, acting_for=chosen.patient)
    page = cora.get(REFILL).content.decode()
    assert (
        '<p class="preferred-pharmacy">We will send it to Main Street Pharmacy, 3 Main St.</p>'
        in page
    )
