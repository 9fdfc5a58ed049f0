"""The FHIR download: exact entries, the Patient first, filters, and a constant query count."""

from __future__ import annotations

import dataclasses
import datetime
import json
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carebridge.audit.models import AuditEvent
from carebridge.records.exports.fhir_bundle import bundle_chunks
from carebridge.records.exports.selection import Selection
from carebridge.records.models import ClinicalResource
from carebridge.records.scope import RecordScope
from carebridge.records.services import store_resources
from carebridge.records.tests.page_checks import patient_with_glucose
from carebridge.testing import factories

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 22, 15, 30, tzinfo=datetime.UTC)


EVERYTHING = Selection()


def bundle_of(patient, selection=EVERYTHING):
    return json.loads("".join(bundle_chunks(RecordScope.whole(patient), selection, NOW)))


def refs(bundle):
    """The entries as the stored `Type/id` they came from (the Bundle holds the API's ids)."""
    stored = {
        f"{resource_type}/{api_id}": f"{resource_type}/{fhir_id}"
        for resource_type, fhir_id, api_id in ClinicalResource.objects.values_list(
            "resource_type", "fhir_id", "api_id"
        )
    }
    served = [
        f"{entry['resource']['resourceType']}/{entry['resource']['id']}"
        for entry in bundle["entry"]
    ]
    return [stored.get(ref, ref) for ref in served]


def sample_refs(record):
    return {
        row.reference
        for row in (getattr(record, field.name) for field in dataclasses.fields(record))
    }


def test_the_bundle_holds_exactly_pats_record_with_her_patient_resource_first(
    cast_with_records,
):
    pat = cast_with_records.patient
    bundle = bundle_of(pat)
    assert (bundle["resourceType"], bundle["type"], bundle["timestamp"]) == (
        "Bundle",
        "collection",
        "2026-11-22T15:30:00Z",
    )
    ids = refs(bundle)
    assert len(ids) == 19
    assert ids[0] == f"Patient/{pat.pk}"
    assert set(ids[1:]) == sample_refs(cast_with_records.record)
    assert not set(ids) & sample_refs(cast_with_records.second_record)
    assert f"Patient/{cast_with_records.second_patient.pk}" not in ids


def api_id(clinic, key: str) -> str:
    """The id the FHIR API serves a stored `Type/id` under (the patient: their own id)."""
    if key.startswith("Patient/"):
        return key.removeprefix("Patient/")
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"carebridge:{clinic.pk}:{key}"))


def address(clinic, key: str) -> str:
    return f"http://127.0.0.1:8000/fhir/{key.split('/')[0]}/{api_id(clinic, key)}"


def test_each_entry_is_the_resource_the_api_serves_at_its_fullurl(cast_with_records):
    hba1c = cast_with_records.record.hba1c
    clinic, pat = cast_with_records.clinic, cast_with_records.patient
    bundle = bundle_of(pat)
    entries = {entry["fullUrl"]: entry["resource"] for entry in bundle["entry"]}
    resource = entries[address(clinic, hba1c.reference)]
    chen = f"Practitioner/{api_id(clinic, 'Practitioner/dr-chen')}"
    assert resource == hba1c.resource | {
        "id": api_id(clinic, hba1c.reference),
        "subject": {"reference": f"Patient/{pat.pk}"},
        "performer": [{"reference": chen, "display": "Maya Chen, MD"}],
    }
    assert resource["valueQuantity"]["value"] == 7.2
    pointed = {ref for entry in bundle["entry"] for ref in _references(entry["resource"])}
    # Every link resolves inside the Bundle (relative to its fullUrl), but the one to a
    # practitioner never stored.
    base = "http://127.0.0.1:8000/fhir/"
    assert {ref for ref in pointed if base + ref not in entries} == {chen}
    assert len(pointed) == 5


def _references(value) -> list[str]:
    if isinstance(value, list):
        return [ref for item in value for ref in _references(item)]
    if not isinstance(value, dict):
        return []
    own = [value["reference"]] if isinstance(value.get("reference"), str) else []
    return own + [ref for item in value.values() for ref in _references(item)]


def test_the_patient_is_built_from_the_portal_row_when_none_is_stored(cast):
    pat = cast.patient
    patient = bundle_of(pat)["entry"][0]["resource"]
    assert patient == {
        "resourceType": "Patient",
        "id": str(pat.pk),
        "identifier": [
            {
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}
                    ]
                },
                "system": "urn:carebridge:riverside:mrn",
                "value": "RFC-1001",
            }
        ],
        "name": [{"use": "official", "family": "Patient", "given": ["Pat"]}],
        "gender": "female",
        "birthDate": "1956-03-14",
        "telecom": [{"system": "email", "value": pat.email}],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en"}]}}],
    }


def test_a_stored_patient_resource_is_used_and_not_repeated(cast):
    pat = cast.patient
    stored = {
        "resourceType": "Patient",
        "id": str(pat.pk),
        "name": [{"family": "Patient", "given": ["Patricia"]}],
        "birthDate": "1956-03-14",
    }
    store_resources(clinic=pat.clinic, patient=pat, resources=[stored], source="test")
    bundle = bundle_of(pat)
    assert [entry["resource"] for entry in bundle["entry"]] == [stored]


def test_referenced_shared_practitioners_come_along_and_others_do_not(cast_with_records):
    clinic = cast_with_records.clinic
    chen = {"resourceType": "Practitioner", "id": "dr-chen", "name": [{"family": "Chen"}]}
    other = {"resourceType": "Practitioner", "id": "dr-other", "name": [{"family": "Other"}]}
    store_resources(clinic=clinic, patient=None, resources=[chen, other], source="test")
    ids = refs(bundle_of(cast_with_records.patient))
    assert ids[-1] == "Practitioner/dr-chen"
    assert "Practitioner/dr-other" not in ids
    assert len(ids) == 20


def test_chosen_sections_only(cast_with_records):
    record = cast_with_records.record
    ids = refs(bundle_of(cast_with_records.patient, Selection(sections=("results",))))
    assert set(ids[1:]) == {
        record.hba1c.reference,
        record.hemoglobin.reference,
        record.old_hba1c.reference,
        record.report.reference,
    }
    allergies = Selection(sections=("allergies", "vitals"))
    ids = refs(bundle_of(cast_with_records.patient, allergies))
    # The visit the vital signs were taken at comes along, so that their link resolves.
    assert set(ids[1:]) == {
        record.allergy.reference,
        record.blood_pressure.reference,
        record.weight.reference,
        record.encounter.reference,
    }
    assert ids[-1] == record.encounter.reference


def test_a_date_range_keeps_dated_entries_inside_it(cast_with_records):
    record = cast_with_records.record
    today = datetime.date.today()
    recent = Selection(date_from=today - datetime.timedelta(days=60))
    assert set(refs(bundle_of(cast_with_records.patient, recent))[1:]) == {
        row.reference
        for row in (
            record.hba1c,
            record.hemoglobin,
            record.report,
            record.blood_pressure,
            record.weight,
            record.encounter,
            record.medication,
            record.note,
            record.care_plan,
            record.goal,
        )
    }
    old = Selection(date_to=today - datetime.timedelta(days=700))
    assert set(refs(bundle_of(cast_with_records.patient, old))[1:]) == {
        row.reference
        for row in (
            record.old_hba1c,
            record.condition,
            record.resolved_condition,
            record.past_medication,
            record.allergy,
            record.procedure,
        )
    }


def test_held_and_erroneous_resources_stay_out(cast_with_records):
    record = cast_with_records.record
    ClinicalResource.objects.filter(pk=record.hba1c.pk).update(release="held")
    ClinicalResource.objects.filter(pk=record.weight.pk).update(status="entered-in-error")
    ids = refs(bundle_of(cast_with_records.patient))
    assert len(ids) == 17
    assert record.hba1c.reference not in ids and record.weight.reference not in ids


def test_the_bundle_costs_the_same_queries_for_10_and_500_observations(cast):
    counts = []
    for size in (10, 500):
        patient = patient_with_glucose(cast.clinic, size)
        with CaptureQueriesContext(connection) as queries:
            bundle = bundle_of(patient)
        assert len(bundle["entry"]) == size + 1
        counts.append(len(queries))
    # The stored Patient, the rows (read twice, in chunks), and the resources they point to.
    assert counts == [4, 4]


def test_the_download_is_a_neutral_file_not_cached_and_audited(cast_with_records, patient_client):
    url = reverse("records:download")
    response = patient_client.get(url, {"format": "fhir", "include": "all"})
    today = timezone.now().astimezone(ZoneInfo(cast_with_records.clinic.time_zone)).date()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="health-record-{today.isoformat()}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    bundle = json.loads(b"".join(response.streaming_content))
    assert len(bundle["entry"]) == 19
    events = AuditEvent.objects.for_patient(cast_with_records.patient.pk).filter(
        object_type="record_download"
    )
    assert [(event.action, event.object_id) for event in events.order_by("sequence")] == [
        ("view", ""),
        ("export", "fhir all"),
    ]


def test_the_download_view_costs_the_same_for_10_and_500_observations(cast, client):
    counts = []
    for size in (10, 500):
        patient = patient_with_glucose(cast.clinic, size, user=factories.make_user())
        client.force_login(patient.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("records:download"), {"format": "fhir", "include": "all"})
            b"".join(response.streaming_content)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_links_to_another_patients_or_an_unshared_resource_stay_out(cast_with_records):
    clinic, pat = cast_with_records.clinic, cast_with_records.patient
    other = cast_with_records.second_record.hba1c
    roster = {"resourceType": "Group", "id": "roster", "type": "person", "actual": True}
    store_resources(clinic=clinic, patient=None, resources=[roster], source="test")
    pointing = {
        "resourceType": "Observation",
        "id": "pointing",
        "status": "final",
        "code": {"text": "Note"},
        "subject": {"reference": f"Patient/{pat.pk}"},
        "hasMember": [{"reference": other.reference}],
        "focus": [{"reference": "Group/roster"}],
    }
    store_resources(clinic=clinic, patient=pat, resources=[pointing], source="test")
    ids = refs(bundle_of(pat))
    assert "Observation/pointing" in ids
    assert other.reference not in ids and "Group/roster" not in ids
