"""The record store: index columns, versions, idempotency, release holds, new-result e-mail."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from carebridge.audit.models import AuditEvent
from carebridge.records.models import ClinicalResource, Release, ResourceVersion
from carebridge.records.services import (
    ResourceConflictError,
    mark_seen,
    release_results,
    store_resources,
)
from carebridge.testing import records
from carebridge.testing.sample_record import build_sample_record

pytestmark = pytest.mark.django_db


def test_sample_record_is_indexed_with_exact_values(cast_with_records):
    record = cast_with_records.record
    hba1c = record.hba1c
    assert (hba1c.resource_type, hba1c.category, hba1c.code, hba1c.code_display) == (
        "Observation",
        "laboratory",
        "4548-4",
        "Hemoglobin A1c",
    )
    assert (hba1c.value_numeric, hba1c.value_unit, hba1c.interpretation) == (7.2, "%", "H")
    assert (hba1c.reference_low, hba1c.reference_high, hba1c.reference_text) == (
        4.0,
        5.6,
        "4 to 5.6 %",
    )
    assert hba1c.performer == "Maya Chen, MD"
    assert hba1c.is_new and not record.old_hba1c.is_new
    # No interpretation sent: computed from the range.
    assert record.hemoglobin.interpretation == "N"
    assert record.report.category == "laboratory"
    assert record.blood_pressure.components == [
        {"code": "8480-6", "display": "Systolic blood pressure", "value": 128.0, "unit": "mm[Hg]"},
        {"code": "8462-4", "display": "Diastolic blood pressure", "value": 82.0, "unit": "mm[Hg]"},
    ]
    assert record.blood_pressure.encounter_id == record.encounter.fhir_id
    assert (record.medication.clinical_status, record.medication.detail) == (
        "active",
        "Take 1 tablet by mouth once a day",
    )
    assert record.allergy.detail == "Hives (moderate)"
    assert record.resolved_condition.clinical_status == "resolved"
    assert record.encounter.performer == "Maya Chen, MD"
    assert record.note.encounter_id == record.encounter.fhir_id


def test_identical_content_is_unchanged_and_changed_content_is_a_new_version(cast):
    resource = records.vital(
        cast.patient,
        code="29463-7",
        display="Body weight",
        value=70,
        unit="kg",
        day=datetime.date(2024, 5, 1),
    )
    first = store_resources(
        clinic=cast.clinic, patient=cast.patient, resources=[resource], source="a.json"
    )
    again = store_resources(
        clinic=cast.clinic, patient=cast.patient, resources=[resource], source="a.json"
    )
    changed = resource | {"valueQuantity": records.quantity(71, "kg")}
    third = store_resources(
        clinic=cast.clinic, patient=cast.patient, resources=[changed], source="b.json"
    )
    assert (first.created, again.unchanged, third.updated) == (1, 1, 1)
    row = ClinicalResource.objects.get(fhir_id=resource["id"])
    assert (row.version, row.value_numeric, row.source) == (2, 71.0, "b.json")
    versions = ResourceVersion.objects.filter(resource=row).order_by("version")
    assert [(v.version, v.body["valueQuantity"]["value"]) for v in versions] == [(1, 70), (2, 71)]


def test_a_resource_id_of_another_patient_is_refused_and_nothing_is_stored(cast):
    resource = records.heart_rate(cast.patient, datetime.date(2024, 5, 1), 70)
    store_resources(clinic=cast.clinic, patient=cast.patient, resources=[resource], source="x")
    other = records.heart_rate(cast.second_patient, datetime.date(2024, 5, 2), 60)
    with pytest.raises(ResourceConflictError):
        store_resources(
            clinic=cast.clinic, patient=cast.second_patient, resources=[other, resource], source="y"
        )
    assert ClinicalResource.objects.filter(patient=cast.second_patient).count() == 0


def test_new_results_send_one_email_without_health_information(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        build_sample_record(cast.patient)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@example.org"]
    assert message.subject == "[Carebridge] Something new in your health record"
    for word in ("A1c", "Hemoglobin", "7.2", "high", "Lisinopril"):
        assert word not in message.body
    assert "http://127.0.0.1:8000/record/results/" in message.body


def test_held_categories_wait_for_release_and_release_is_audited(
    cast, django_capture_on_commit_callbacks
):
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    with django_capture_on_commit_callbacks(execute=True):
        record = build_sample_record(cast.patient)
    assert mail.outbox == []
    held = ClinicalResource.objects.filter(patient=cast.patient, release=Release.HELD)
    assert sorted(held.values_list("code", flat=True)) == ["24323-8", "4548-4", "4548-4", "718-7"]
    assert record.blood_pressure.release == Release.RELEASED
    with django_capture_on_commit_callbacks(execute=True):
        released = release_results(
            actor=cast.clinician, clinic=cast.clinic, resource_ids=[record.hba1c.pk]
        )
        again = release_results(
            actor=cast.clinician, clinic=cast.clinic, resource_ids=[record.hba1c.pk]
        )
    assert (len(released), again) == (1, [])
    record.hba1c.refresh_from_db()
    assert (record.hba1c.release, record.hba1c.released_by) == (Release.RELEASED, cast.clinician)
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.filter(action="release").get()
    assert (event.patient, event.object_id, event.actor) == (
        cast.patient,
        str(record.hba1c.pk),
        cast.clinician,
    )


def test_release_is_limited_to_the_staff_members_clinic(cast):
    cast.clinic.held_result_categories = ["laboratory"]
    cast.clinic.save()
    record = build_sample_record(cast.patient)
    assert (
        release_results(
            actor=cast.other_clinic_admin, clinic=cast.other_clinic, resource_ids=[record.hba1c.pk]
        )
        == []
    )
    record.hba1c.refresh_from_db()
    assert record.hba1c.release == Release.HELD


def test_mark_seen_only_touches_the_patients_own_results(cast_with_records):
    record, second = cast_with_records.record, cast_with_records.second_record
    changed = mark_seen(
        patient=cast_with_records.patient, resource_ids=[record.hba1c.pk, second.hba1c.pk]
    )
    assert changed == 1
    second.hba1c.refresh_from_db()
    assert second.hba1c.seen_at is None


def test_a_sensitive_label_is_stored_and_follows_a_new_version(cast):
    condition = {
        "resourceType": "Condition",
        "id": "c-sensitive",
        "code": {"text": "Anxiety"},
        "subject": {"reference": f"Patient/{cast.patient.pk}"},
        "meta": {"security": [{"system": CONFIDENTIALITY, "code": "R"}]},
    }
    store_resources(clinic=cast.clinic, patient=cast.patient, resources=[condition], source="a")
    row = ClinicalResource.objects.get(fhir_id="c-sensitive")
    assert row.is_sensitive is True
    relabelled = condition | {"meta": {"security": []}}
    store_resources(clinic=cast.clinic, patient=cast.patient, resources=[relabelled], source="b")
    row.refresh_from_db()
    assert (row.version, row.is_sensitive) == (2, False)


CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
