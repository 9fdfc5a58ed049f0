"""Who may open a patient's chart and page in the console, and what a refusal leaves behind.

Cast: Casey (clinician) and Nora (nurse) open charts; Fran (front desk), Bill (billing) and Ada
(clinic administrator) see only the patient's page, with no clinical data; Olive administers
another clinic; Pat is a patient, Cora her caregiver with every scope.
"""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient
from carebridge.staff.tests.chart_setup import all_chart_urls
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

# Words from Pat's sample record that the patient's page must never show.
CLINICAL_WORDS = (
    "Hemoglobin",
    "7.2",
    "Lisinopril",
    "Penicillin",
    "Hypertension",
    "Colonoscopy",
    "Progress note",
    "Influenza",
    "128/82",
)


def _patient_page(patient: Patient) -> str:
    return reverse("staff:patient", args=[patient.pk])


def _new_events() -> int:
    return AuditEvent.objects.count()


@pytest.mark.parametrize("persona", ["front_desk", "billing", "clinic_admin"])
def test_front_desk_billing_and_admins_cannot_open_clinical_pages(
    cast_with_records: Cast, persona: str
) -> None:
    client = client_for(getattr(cast_with_records, persona))
    before = _new_events()
    for name, url in all_chart_urls(cast_with_records).items():
        assert client.get(url).status_code == 404, name
    assert _new_events() == before


@pytest.mark.parametrize("persona", ["front_desk", "billing", "clinic_admin"])
def test_front_desk_billing_and_admins_get_the_patients_page_without_clinical_data(
    cast_with_records: Cast, persona: str
) -> None:
    response = client_for(getattr(cast_with_records, persona)).get(
        _patient_page(cast_with_records.patient)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Pat Patient</h1>" in html
    assert [word for word in CLINICAL_WORDS if word in html] == []
    assert "/chart/" not in html
    assert "Open the chart" not in html


def test_a_clinic_administrator_of_another_clinic_gets_404_for_all_of_them(
    cast_with_records: Cast,
) -> None:
    client = client_for(cast_with_records.other_clinic_admin)
    urls = [*all_chart_urls(cast_with_records).values(), _patient_page(cast_with_records.patient)]
    for url in urls:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", ["clinician", "nurse", "front_desk", "billing", "clinic_admin"])
def test_another_clinics_patient_is_a_404_for_everyone_of_ours(
    cast_with_records: Cast, persona: str
) -> None:
    theirs = factories.make_patient(cast_with_records.other_clinic, given_name="Hana")
    client = client_for(getattr(cast_with_records, persona))
    assert client.get(_patient_page(theirs)).status_code == 404
    for name, url in all_chart_urls(cast_with_records, theirs.pk).items():
        assert client.get(url).status_code == 404, name


def test_a_clinicians_try_at_another_clinics_chart_is_recorded_as_denied(
    cast_with_records: Cast,
) -> None:
    theirs = factories.make_patient(cast_with_records.other_clinic, given_name="Hana")
    last = AuditEvent.objects.order_by("-sequence").first()
    url = reverse("staff:chart-results", args=[theirs.pk])
    assert client_for(cast_with_records.clinician).get(url).status_code == 404
    events = AuditEvent.objects.filter(sequence__gt=last.sequence if last else 0)
    assert list(
        events.values_list("actor", "patient", "acting_as", "action", "object_type", "outcome")
    ) == [
        (cast_with_records.clinician.pk, theirs.pk, "staff", "view", "patient_chart", "denied"),
    ]
    assert events.get().object_id == str(theirs.pk)


def test_a_patient_that_does_not_exist_is_a_404_recorded_with_no_patient(
    cast_with_records: Cast,
) -> None:
    missing = uuid.UUID("00000000-0000-4000-8000-000000000000")
    before = _new_events()
    client = client_for(cast_with_records.clinician)
    assert client.get(reverse("staff:chart-summary", args=[missing])).status_code == 404
    assert client.get(reverse("staff:patient", args=[missing])).status_code == 404
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert (event.patient_id, event.object_type, event.outcome) == (None, "patient_chart", "denied")
    assert _new_events() == before + 1


def test_patients_and_caregivers_get_404_for_the_chart_and_the_patients_page(
    cast_with_records: Cast, patient_client: Client
) -> None:
    pat = cast_with_records.patient
    caregiver = client_for(cast_with_records.proxies.full_caregiver, pat)
    before = _new_events()
    for client in (patient_client, caregiver):
        assert client.get(_patient_page(pat)).status_code == 404
        for name, url in all_chart_urls(cast_with_records).items():
            assert client.get(url).status_code == 404, name
    assert _new_events() == before
