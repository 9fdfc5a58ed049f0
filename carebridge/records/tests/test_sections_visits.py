"""Visits: the list, a visit's summary, another patient's visit, hidden resources, audit events
and query budgets. Documents and notes are in `test_sections_documents.py`."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.records.models import ClinicalResource, Release
from carebridge.records.tests.page_checks import (
    day,
    last_event,
    page_text,
    visit_page_queries,
    visit_url,
)
from carebridge.testing.records import (
    LOINC,
    NOTE_TEXT,
    RXNORM,
    SNOMED,
    blood_pressure,
    coded,
    document,
    encounter,
    glucose,
    in_visit,
    lab_observation,
    next_id,
    store,
    subject,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


# Visits.


def test_visits_list_newest_first_with_exact_values(cast_with_records, patient_client):
    place = {"location": [{"location": {"reference": "Location/1", "display": "Main Street"}}]}
    store(
        cast_with_records.patient,
        encounter(cast_with_records.patient, "2019-04-05T14:00:00Z", **place),
        encounter(cast_with_records.patient, "2018-01-01T14:00:00Z", status="cancelled"),
    )
    text = page_text(patient_client.get(reverse("records:visits")))
    assert (
        f"Your visits, newest first (3 in all) Date Visit Reason Seen by Where "
        f"{day(TODAY - datetime.timedelta(days=30))} Check-up Yearly check-up Maya Chen, MD "
        f"Not recorded {day(datetime.date(2019, 4, 5))} Office visit Not recorded "
        f"Not recorded Main Street {day(datetime.date(2018, 1, 1))} Office visit (Cancelled)"
    ) in text


def test_visits_list_pages(cast, patient_client):
    store(
        cast.patient,
        *(
            encounter(cast.patient, f"20{10 + n // 12}-{n % 12 + 1:02}-01T15:00:00Z")
            for n in range(30)
        ),
    )
    first = page_text(patient_client.get(reverse("records:visits")))
    assert "(30 in all)" in first and "Page 1 of 2" in first
    assert first.count("Office visit") == 25
    second = page_text(patient_client.get(reverse("records:visits"), {"page": "2"}))
    assert second.count("Office visit") == 5
    assert day(datetime.date(2010, 1, 1)) in second


def test_visits_empty_state(cast, patient_client):
    text = page_text(patient_client.get(reverse("records:visits")))
    assert (
        "No visits are recorded here. The clinic may hold records from before it used this portal."
    ) in text


def test_visit_summary_of_the_sample_record(cast_with_records, patient_client):
    record = cast_with_records.record
    text = page_text(patient_client.get(visit_url(record.encounter)))
    visited = day(TODAY - datetime.timedelta(days=30))
    assert f"Check-up on {visited}" in text
    assert "Reason for the visit Yearly check-up Seen by Maya Chen, MD Where Not recorded" in text
    assert (
        "Vital signs taken at this visit Measurement Value Blood pressure panel 128/82 mmHg" in text
    )
    # The weight was not taken at this visit.
    assert "Body weight" not in text
    assert f"Progress note Written by Maya Chen, MD, {visited} {NOTE_TEXT}" in text
    assert "No diagnoses are recorded for this visit." in text
    assert "No tests or referrals were ordered at this visit, or none are recorded here." in text
    assert "No medicines were prescribed at this visit, or none are recorded here." in text
    assert "No written instructions are recorded for this visit." in text


def test_visit_summary_gathers_everything_recorded_at_the_visit(cast, patient_client):
    patient = cast.patient
    visit_id = next_id("enc")
    here = in_visit(visit_id)
    named = {"resourceType": "Condition", "id": next_id("cond"), "subject": subject(patient)}
    named |= {"code": coded(SNOMED, "1", "Type 2 diabetes"), "recordedDate": "2025-01-01"}
    # Recorded at the visit, then found to be a mistake: not shown.
    mistake = named | {"id": next_id("cond"), "code": coded(SNOMED, "2", "Mistake")} | here
    mistake["verificationStatus"] = coded("http://x", "entered-in-error", "Error")
    store(patient, named, mistake)
    day_of_visit = datetime.date(2025, 3, 4)
    held = lab_observation(
        patient,
        code="1",
        display="Biopsy",
        value=1,
        unit="x",
        low=None,
        high=None,
        day=day_of_visit,
    )
    mistaken = {"status": "entered-in-error"}
    instructions = document(patient, "text/plain", b"Rest and drink water.", context={})
    instructions |= {"type": coded(LOINC, "69730-0", "Instructions"), "context": here}
    store(
        patient,
        encounter(
            patient,
            "2025-03-04T15:00:00Z",
            diagnosis=[
                {"condition": {"reference": f"Condition/{named['id']}"}},
                {"condition": {"display": "Tiredness"}},
            ],
            id=visit_id,
        ),
        {
            "resourceType": "Condition",
            "id": next_id("cond"),
            "subject": subject(patient),
            "code": coded(SNOMED, "3", "Sprained ankle"),
            "clinicalStatus": coded("http://x", "active", "Active"),
        }
        | here,
        blood_pressure(patient, systolic=140, diastolic=90, day=day_of_visit) | here,
        blood_pressure(patient, systolic=99, diastolic=99, day=day_of_visit) | here | mistaken,
        glucose(patient, day_of_visit, 130) | here,
        held | here,
        {
            "resourceType": "ServiceRequest",
            "id": next_id("order"),
            "status": "active",
            "intent": "order",
            "code": coded(SNOMED, "5", "X-ray of ankle"),
            "subject": subject(patient),
            "requester": {"reference": "Practitioner/x", "display": "Ravi Shah, DO"},
        }
        | here,
        {
            "resourceType": "MedicationRequest",
            "id": next_id("med"),
            "status": "active",
            "intent": "order",
            "medicationCodeableConcept": coded(RXNORM, "6", "Metformin 500 MG"),
            "subject": subject(patient),
            "dosageInstruction": [{"text": "Twice a day with food"}],
        }
        | here,
        instructions,
        {
            "resourceType": "CarePlan",
            "id": next_id("plan"),
            "status": "active",
            "intent": "plan",
            "title": "Ankle care",
            "subject": subject(patient),
            "activity": [{"detail": {"status": "scheduled", "description": "Ice twice a day"}}],
        }
        | here,
    )
    ClinicalResource.objects.filter(fhir_id=held["id"]).update(release=Release.HELD)
    row = ClinicalResource.objects.get(fhir_id=visit_id)
    text = page_text(patient_client.get(visit_url(row)))
    assert "Diagnoses Type 2 diabetes Tiredness Sprained ankle (Current) Vital signs" in text
    assert "Blood pressure panel 140/90 mmHg" in text and "99/99" not in text
    assert "Glucose 130 mg/dL High 70 to 99 mg/dL" in text
    assert "Biopsy" not in text and "Mistake" not in text
    assert "X-ray of ankle Status Ordered Ordered by Ravi Shah, DO" in text
    assert "Metformin 500 MG How to take it Twice a day with food" in text
    assert (
        "Instructions Instructions Rest and drink water. Ankle care Ice twice a day (scheduled)"
        in text
    )
    assert "No clinical notes are recorded for this visit." in text


def test_another_patients_visit_is_404_and_audited_as_denied(cast_with_records, patient_client):
    theirs = cast_with_records.second_record.encounter
    assert patient_client.get(visit_url(theirs)).status_code == 404
    event = last_event()
    assert (event.object_type, event.object_id, event.outcome, event.patient_id) == (
        "visit",
        str(theirs.pk),
        "denied",
        cast_with_records.second_patient.pk,
    )


def test_own_visit_is_audited_as_a_visit(cast_with_records, patient_client):
    mine = cast_with_records.record.encounter
    patient_client.get(visit_url(mine))
    event = last_event()
    assert (event.object_type, event.object_id, event.outcome, event.patient_id) == (
        "visit",
        str(mine.pk),
        "success",
        cast_with_records.patient.pk,
    )


def test_a_visit_entered_in_error_or_not_a_visit_is_404(cast_with_records, patient_client):
    (row,) = store(
        cast_with_records.patient,
        encounter(cast_with_records.patient, "2020-01-01T10:00:00Z", status="entered-in-error"),
    )
    assert patient_client.get(visit_url(row)).status_code == 404
    assert patient_client.get(visit_url(cast_with_records.record.note)).status_code == 404


def test_list_pages_are_audited(cast_with_records, patient_client):
    patient_client.get(reverse("records:visits"))
    patient_client.get(reverse("records:documents"))
    events = AuditEvent.objects.order_by("-sequence")[:2]
    assert [(e.object_type, e.outcome, e.patient_id) for e in events] == [
        ("documents", "success", cast_with_records.patient.pk),
        ("visits", "success", cast_with_records.patient.pk),
    ]


# Query budgets: the same number of queries for a small record as for a large one.


@pytest.mark.parametrize("name", ["visits", "visit-detail"])
def test_query_count_does_not_grow_with_the_record(
    cast_with_records, patient_client, django_assert_max_num_queries, name
):
    small, large = visit_page_queries(
        cast_with_records, patient_client, django_assert_max_num_queries, name
    )
    assert small == large
