"""Online check-in for an appointment the clinic booked in its own system: what the form starts
with (the saved check-in, the coverage on file, the latest check-in's insurance), insurance sent
to the front desk, the coverage's copay (there is no visit type), and the page's cost in
queries whatever the record's size. The rest is in `test_clinic_checkin.py`."""

from __future__ import annotations

from typing import Any

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.billing.models import CoverageSource, CoverageStatus, InsuranceCoverage
from carebridge.scheduling.models import ClinicCheckIn
from carebridge.scheduling.tests.pages import SENSITIVE, utc, words
from carebridge.scheduling.tests.test_clinic_checkin import page, valid
from carebridge.testing.records import SNOMED, appointment, coded, next_id, store, subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat(cast: Any) -> Any:
    return cast.patient


@pytest.fixture
def visits(pat: Any) -> list[Any]:
    """Pat's EHR appointments tomorrow, Thursday 5 March: her follow-up at 9 a.m. (check-in
    open) and, at 11, one labelled sensitive."""
    return store(
        pat,
        appointment(pat, utc(3, 5, 14)),
        appointment(pat, utc(3, 5, 16), kind="Counselling", meta=SENSITIVE),
    )


@pytest.fixture
def tomorrow(visits: list[Any]) -> Any:
    return visits[0]


# The check-in page (35 queries today): the session and acting context, the shared parts, the
# resource, its place, request and check-in, the form's first values, the record lists, the audit.
PAGE_BUDGET = 36


def allergy(patient: Any, name: str) -> dict[str, Any]:
    return {
        "resourceType": "AllergyIntolerance",
        "id": next_id("allergy"),
        "code": coded(SNOMED, "7", name),
        "patient": subject(patient),
        "recordedDate": "2020-05-06",
    }


# What the form starts with, and its cost.


def test_the_form_starts_with_the_insurance_of_pats_latest_check_in(cast, patient_client, visits):
    patient_client.post(page(visits[0]), valid(insurance_payer="Beta Care"))
    html = patient_client.get(page(visits[1])).content.decode()
    assert 'name="insurance_payer" value="Beta Care"' in html
    assert 'name="insurance_member_id" value="M-123"' in html


def queries(client: Any, url: str, assert_max_num_queries: Any) -> int:
    # A change to the record renews what is kept for the viewer: measure the request after.
    assert client.get(url).status_code == 200
    with assert_max_num_queries(PAGE_BUDGET) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_for_one_allergy_as_for_ten(
    cast, pat, patient_client, tomorrow, django_assert_max_num_queries
):
    store(pat, allergy(pat, "Penicillin"))
    patient_client.get(page(tomorrow))
    one = queries(patient_client, page(tomorrow), django_assert_max_num_queries)
    store(pat, *[allergy(pat, f"Allergen {n}") for n in range(9)])
    ten = queries(patient_client, page(tomorrow), django_assert_max_num_queries)
    assert ten == one


# Insurance and the copay: the coverage's only.


def on_file(cast: Any, **fields: Any) -> InsuranceCoverage:
    values = {"payer_name": "Aetna", "member_id": "A-1", "group_number": "G-9"} | fields
    return InsuranceCoverage.objects.create(
        clinic=cast.clinic,
        patient=cast.patient,
        source=CoverageSource.IMPORTED,
        status=CoverageStatus.CURRENT,
        **values,
    )


def test_the_form_starts_from_the_coverage_and_shows_its_copay(cast, patient_client, tomorrow):
    on_file(cast, copay_cents=1500)
    html = patient_client.get(page(tomorrow)).content.decode()
    assert 'name="insurance_payer" value="Aetna"' in html
    copay = words(html.split('class="checkin-copay">', 1)[1].split("</p>", 1)[0])
    assert copay == (
        "You may be asked to pay $15.00 at your visit. "
        "The final amount can change after your insurance is billed."
    )
    changes = valid(insurance_payer="Aetna", insurance_member_id="A-1", insurance_group="G-9")
    patient_client.post(page(tomorrow), changes)
    assert ClinicCheckIn.objects.get().copay_cents == 1500
    assert InsuranceCoverage.objects.count() == 1


def test_a_different_insurance_goes_to_the_front_desk_once(cast, patient_client, tomorrow):
    on_file(cast)
    changed = valid(insurance_payer="Blue Shield", insurance_member_id="XJ-1")
    assert patient_client.post(page(tomorrow), changed).status_code == 302
    assert patient_client.post(page(tomorrow), changed).status_code == 302
    sent = InsuranceCoverage.objects.get(status=CoverageStatus.PENDING)
    assert (sent.payer_name, sent.member_id, sent.source) == (
        "Blue Shield",
        "XJ-1",
        CoverageSource.PATIENT,
    )
    event = AuditEvent.objects.get(object_type="insurance", action="create")
    assert (event.patient_id, event.object_id) == (cast.patient.pk, str(sent.pk))
    # No visit type: until the front desk accepts it, no copay is expected.
    assert ClinicCheckIn.objects.get().copay_cents is None
