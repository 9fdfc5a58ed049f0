"""The appointments list's cards of appointments the clinic booked in its own system: "Requested"
while a request to cancel or move one is open, "Checked in online" once checked in, at a cost in
queries that does not grow with the number of cards; and the clinic-booked check-in form never
fails whatever is posted."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.messaging.models import CareRequest, CareRequestStatus, RequestKind
from carebridge.records.models import ClinicalResource
from carebridge.scheduling.models import ClinicCheckIn
from carebridge.scheduling.tests.conftest import NOW
from carebridge.scheduling.tests.pages import PAGE, utc, words
from carebridge.testing.records import appointment, store

pytestmark = pytest.mark.django_db

# The appointments page's budget (see `test_appointments_page.BUDGET`).
BUDGET = 26
REQUESTED = "Requested You have asked the clinic to cancel or move it."


def ask(cast: Any, resource: ClinicalResource, status: str = CareRequestStatus.SUBMITTED) -> None:
    answered: dict[str, Any] = {}
    if status != CareRequestStatus.SUBMITTED:
        answered = {"decided_by": cast.front_desk, "decided_at": NOW}
    CareRequest.objects.create(
        **answered,
        patient=cast.patient,
        kind=RequestKind.VISIT,
        status=status,
        created_by=cast.patient_user,
        created_as="self",
        details={"appointment": str(resource.api_id), "change": "move"},
    )


def check_in(cast: Any, resource: ClinicalResource) -> None:
    ClinicCheckIn.objects.create(
        resource=resource,
        completed_at=NOW,
        completed_by=cast.patient_user,
        completed_as="self",
        contact_confirmed=True,
        self_pay=True,
    )


def statuses(html: str) -> list[str]:
    """Each upcoming card's Status, in order."""
    found = re.findall(r"<dt>Status</dt><dd>(.*?)</dd>", html, re.S)
    return [words(status) for status in found]


def test_the_cards_say_requested_and_checked_in(cast, patient_client):
    asked, checked_in, answered, _plain = store(
        cast.patient,
        appointment(cast.patient, utc(3, 5, 14)),
        appointment(cast.patient, utc(3, 6, 14)),
        appointment(cast.patient, utc(3, 7, 14)),
        appointment(cast.patient, utc(3, 9, 14)),
    )
    ask(cast, asked)
    ask(cast, answered, CareRequestStatus.APPROVED)
    check_in(cast, checked_in)
    html = patient_client.get(PAGE).content.decode()
    assert statuses(html) == [
        f"Booked {REQUESTED}",
        "Booked (Checked in online)",
        "Booked",
        "Booked",
    ]


def queries(client: Client, assert_max_num_queries: Any) -> int:
    # A change to the record renews what is kept for the viewer: measure the request after.
    assert client.get(PAGE).status_code == 200
    with assert_max_num_queries(BUDGET) as captured:
        assert client.get(PAGE).status_code == 200
    return len(captured)


def some(cast: Any, count: int) -> None:
    """`count` upcoming EHR appointments, each with an open request and an online check-in."""
    rows = store(
        cast.patient,
        *[appointment(cast.patient, utc(3, 5 + n % 20, 14)) for n in range(count)],
    )
    for row in rows:
        ask(cast, row)
        check_in(cast, row)


def test_the_cards_cost_the_same_queries_for_1_appointment_as_for_10(
    cast, patient_client, django_assert_max_num_queries
):
    some(cast, 1)
    # The session's first request records the sign-in session; measure from the second.
    patient_client.get(PAGE)
    one = queries(patient_client, django_assert_max_num_queries)
    some(cast, 9)
    ten = queries(patient_client, django_assert_max_num_queries)
    assert ten == one
    html = patient_client.get(PAGE).content.decode()
    assert statuses(html) == [f"Booked (Checked in online) {REQUESTED}"] * 10


FIELDS = st.dictionaries(
    st.sampled_from(
        [
            "phone",
            "address_line",
            "city",
            "state",
            "postal_code",
            "contact_confirmed",
            "insurance_payer",
            "insurance_member_id",
            "insurance_group",
            "self_pay",
            "allergies",
            "allergy_changes",
            "medications",
            "medication_changes",
            "answer_0",
        ]
    ),
    st.one_of(
        st.text(max_size=30),
        st.text(min_size=1001, max_size=1100),
        st.sampled_from(["on", "right", "changed", "", "  ", "555-0111"]),
    ),
    max_size=15,
)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(fields=FIELDS)
def test_any_check_in_form_never_fails(cast, fields):
    resource = ClinicalResource.objects.filter(resource_type="Appointment").first()
    if resource is None:
        (resource,) = store(cast.patient, appointment(cast.patient, utc(3, 5, 14)))
    client = Client()
    client.force_login(cast.patient_user)
    clean = {key: value.replace("\x00", "") for key, value in fields.items()}
    url = f"/appointments/clinic/{resource.api_id}/check-in/"
    response = client.post(url, clean)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert ClinicCheckIn.objects.filter(resource=resource).count() == 1
