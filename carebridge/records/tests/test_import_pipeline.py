"""The import pipeline on small exports: bundles, NDJSON, references, ids, versions."""

from __future__ import annotations

import datetime

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.patients.models import Patient, PatientIdentifier
from carebridge.records.models import ClinicalResource, ResourceVersion
from carebridge.records.tests.importing_files import (
    HOSPITAL,
    bundle,
    entry,
    observation,
    patient,
    practitioner,
    run,
    summary,
    write_json,
    write_ndjson,
)

pytestmark = pytest.mark.django_db


def stored(fhir_id: str) -> ClinicalResource:
    return ClinicalResource.objects.get(fhir_id=fhir_id)


def test_transaction_bundle_creates_the_patient_and_rewrites_references(cast, tmp_path):
    document = bundle(
        entry(patient("p1")),
        entry(practitioner("dr1")),
        entry(
            observation(
                "o1", "urn:uuid:p1", performer=[{"reference": "urn:uuid:dr1"}], issued="2020-01-02"
            )
        ),
    )
    result = run(cast.clinic, write_json(tmp_path, "ada.json", document))
    assert result == summary(
        patients=1, resources={"Observation": 1, "Patient": 1, "Practitioner": 1}, created=3
    )
    new = Patient.objects.get(family_name="Lovelace")
    assert (new.clinic, new.mrn, new.given_name, new.birth_date, new.sex) == (
        cast.clinic,
        "H-p1",
        "Ada",
        datetime.date(1950, 12, 10),
        "female",
    )
    assert (new.phone, new.address_line, new.city, new.postal_code, new.preferred_language) == (
        "555-0199",
        "1 Main St",
        "Salem",
        "01970",
        "es",
    )
    assert list(PatientIdentifier.objects.values_list("patient", "system", "value")) == [
        (new.pk, HOSPITAL, "H-p1")
    ]
    obs, record = stored("o1"), ClinicalResource.objects.get(resource_type="Patient")
    assert (obs.patient, obs.source, obs.performer) == (new, "ada.json", "Maya Chen, MD")
    assert obs.resource["subject"] == {"reference": f"Patient/{new.pk}"}
    assert obs.resource["performer"] == [{"reference": "Practitioner/dr1"}]
    assert (record.fhir_id, record.resource["id"], record.patient) == (str(new.pk),) * 2 + (new,)
    assert stored("dr1").patient is None
    assert list(
        AuditEvent.objects.filter(patient=new)
        .order_by("sequence")
        .values_list("action", "object_type", "acting_as")
    ) == [("create", "patient", "system"), ("import", "record", "system")]


def test_collection_bundle_splits_patients_and_shares_the_practitioner(cast, tmp_path):
    document = bundle(
        entry(practitioner("dr1")),
        entry(patient("p1")),
        entry(patient("p2", given="Bea", family="Bell", birth_date="1970-01-01")),
        entry(observation("o1", "Patient/p1")),
        entry(observation("o2", "urn:uuid:p2", performer=[{"reference": "Practitioner/dr1"}])),
        kind="collection",
    )
    result = run(cast.clinic, write_json(tmp_path, "two.json", document))
    assert result == summary(
        patients=2, resources={"Observation": 2, "Patient": 2, "Practitioner": 1}, created=5
    )
    ada, bea = Patient.objects.get(given_name="Ada"), Patient.objects.get(given_name="Bea")
    assert (stored("o1").patient, stored("o2").patient, stored("dr1").patient) == (ada, bea, None)
    assert stored("o1").resource["subject"]["reference"] == f"Patient/{ada.pk}"
    assert stored("o2").performer == "Maya Chen, MD"


def test_batch_bundle_and_a_lone_resource_file_are_imported(cast, tmp_path):
    write_json(tmp_path, "batch.json", bundle(entry(patient("p1")), kind="batch"))
    # A lone resource naming a portal patient by UUID joins that patient's record.
    write_json(tmp_path, "lone.json", observation("o9", f"Patient/{cast.patient.pk}"))
    result = run(cast.clinic, tmp_path)
    assert result == summary(patients=1, resources={"Observation": 1, "Patient": 1}, created=2)
    assert stored("o9").patient == cast.patient


def test_contained_references_stay_inside_their_parent(cast, tmp_path):
    claim = {
        "resourceType": "ExplanationOfBenefit",
        "id": "eob1",
        "status": "active",
        "contained": [
            {
                "resourceType": "Coverage",
                "id": "coverage",
                "beneficiary": {"reference": "urn:uuid:p1"},
            }
        ],
        "patient": {"reference": "urn:uuid:p1"},
        "insurance": [{"focal": True, "coverage": {"reference": "#coverage"}}],
    }
    run(cast.clinic, write_json(tmp_path, "eob.json", bundle(entry(patient("p1")), entry(claim))))
    eob = stored("eob1")
    portal = f"Patient/{eob.patient_id}"
    assert eob.resource["insurance"][0]["coverage"] == {"reference": "#coverage"}
    assert eob.resource["contained"][0]["beneficiary"] == {"reference": portal}
    assert ClinicalResource.objects.filter(resource_type="Coverage").count() == 0


def test_reimport_changes_nothing_and_an_updated_resource_is_version_two(cast, tmp_path):
    path = write_json(
        tmp_path, "ada.json", bundle(entry(patient("p1")), entry(observation("o1", "urn:uuid:p1")))
    )
    run(cast.clinic, path)
    again = run(cast.clinic, path)
    assert again == summary(patients=1, resources={"Observation": 1, "Patient": 1}, unchanged=2)
    assert ResourceVersion.objects.count() == 2
    assert Patient.objects.filter(family_name="Lovelace").count() == 1
    changed = bundle(entry(patient("p1")), entry(observation("o1", "urn:uuid:p1", value=6.1)))
    result = run(cast.clinic, write_json(tmp_path, "ada.json", changed))
    assert result == summary(
        patients=1, resources={"Observation": 1, "Patient": 1}, updated=1, unchanged=1
    )
    row = stored("o1")
    assert (row.version, row.value_numeric) == (2, 6.1)
    assert list(row.versions.values_list("version", flat=True)) == [1, 2]


def test_resources_without_id_get_the_same_derived_id_each_time(cast, tmp_path):
    path = write_json(
        tmp_path,
        "noid.json",
        bundle(entry(patient("p1")), entry(observation(None, "urn:uuid:p1"), "urn:uuid:obs")),
    )
    first = run(cast.clinic, path)
    second = run(cast.clinic, path)
    row = ClinicalResource.objects.get(resource_type="Observation")
    assert (first["created"], second["unchanged"], row.version) == (2, 2, 1)
    assert len(row.fhir_id) == 36 and row.resource["id"] == row.fhir_id


def test_synthea_style_shared_bundles_resolve_in_the_same_run_and_later(cast, tmp_path):
    shared = bundle(entry(practitioner("3f1c0a52-0000-4000-8000-000000000001")))
    write_json(tmp_path, "practitionerInformation1.json", shared)
    first = bundle(
        entry(patient("p1")),
        entry(
            observation(
                "o1",
                "urn:uuid:p1",
                performer=[{"reference": "urn:uuid:3f1c0a52-0000-4000-8000-000000000001"}],
            )
        ),
    )
    # Named to sort before the practitioner bundle: shared bundles are read first anyway.
    write_json(tmp_path, "a_patient.json", first)
    assert run(cast.clinic, tmp_path)["errors"] == []
    reference = "Practitioner/3f1c0a52-0000-4000-8000-000000000001"
    assert stored("o1").resource["performer"] == [{"reference": reference}]
    assert stored("o1").performer == "Maya Chen, MD"
    # A later run finds the practitioner in the store.
    later = bundle(
        entry(patient("p2", given="Bea", family="Bell")),
        entry(
            observation(
                "o2",
                "urn:uuid:p2",
                performer=[{"reference": "urn:uuid:3f1c0a52-0000-4000-8000-000000000001"}],
            )
        ),
    )
    assert run(cast.clinic, write_json(tmp_path, "later.json", later))["errors"] == []
    assert stored("o2").resource["performer"] == [{"reference": reference}]
    assert stored("o2").performer == "Maya Chen, MD"


def test_ndjson_files_are_grouped_by_patient(cast, tmp_path):
    folder = tmp_path / "bulk"
    folder.mkdir()
    write_ndjson(
        folder, "Patient.ndjson", [patient("p1"), patient("p2", given="Bea", family="Bell")]
    )
    write_ndjson(
        folder,
        "Observation.ndjson",
        [
            observation("o1", "Patient/p1"),
            "",
            observation("o2", "Patient/p2"),
            observation("o3", "Patient/p1"),
        ],
    )
    result = run(cast.clinic, folder)
    assert result == summary(patients=2, resources={"Observation": 3, "Patient": 2}, created=5)
    ada, bea = Patient.objects.get(given_name="Ada"), Patient.objects.get(given_name="Bea")
    rows = ClinicalResource.objects.filter(patient=ada).values_list("fhir_id", "source")
    assert set(rows) == {
        ("o1", "Observation.ndjson"),
        ("o3", "Observation.ndjson"),
        (str(ada.pk), "Patient.ndjson"),
    }
    assert stored("o2").patient == bea
    assert stored("o2").resource["subject"]["reference"] == f"Patient/{bea.pk}"


def test_gzipped_ndjson_naming_a_portal_patient_joins_their_record(cast, tmp_path):
    path = tmp_path / "obs.ndjson.gz"
    import gzip
    import json

    path.write_bytes(
        gzip.compress(json.dumps(observation("o1", f"Patient/{cast.patient.pk}")).encode())
    )
    result = run(cast.clinic, path)
    assert result == summary(resources={"Observation": 1}, created=1)
    assert stored("o1").patient == cast.patient


def test_searchset_outcomes_are_left_out_and_document_bundles_accepted(cast, tmp_path):
    outcome = {"resourceType": "OperationOutcome", "issue": []}
    searchset = bundle(
        entry(patient("p1")),
        {"resource": outcome, "search": {"mode": "outcome"}},
        kind="searchset",
    )
    composition = {
        "resourceType": "Composition",
        "id": "doc1",
        "subject": {"reference": "urn:uuid:p2"},
    }
    document = bundle(
        entry(composition), entry(patient("p2", given="Bea", family="Bell")), kind="document"
    )
    write_json(tmp_path, "search.json", searchset)
    write_json(tmp_path, "document.json", document)
    result = run(cast.clinic, tmp_path)
    assert result == summary(patients=2, resources={"Composition": 1, "Patient": 2}, created=3)
    assert stored("doc1").patient.given_name == "Bea"
