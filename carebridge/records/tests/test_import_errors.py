"""Bad input: a clear error with its position, nothing stored for that group, the rest imported."""

from __future__ import annotations

import datetime
import gzip
import json

import pytest

from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource
from carebridge.records.services import store_resources
from carebridge.records.tests.importing_files import (
    bundle,
    entry,
    error,
    observation,
    patient,
    run,
    summary,
    write_json,
    write_ndjson,
)
from carebridge.testing import records

pytestmark = pytest.mark.django_db

NOTHING_FOR_PATIENT = "Nothing was imported for this patient (%s resources)."


@pytest.fixture
def good_file(tmp_path):
    """A valid patient file beside each bad one: it must be imported all the same."""
    document = bundle(
        entry(patient("good", given="Gail", family="Good")),
        entry(observation("og", "urn:uuid:good")),
    )
    return write_json(tmp_path, "good.json", document)


def imported_good(result) -> bool:
    return (
        Patient.objects.filter(given_name="Gail").exists()
        and ClinicalResource.objects.filter(fhir_id="og").exists()
        and result["created"] == 2
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.json", b"{not json", "Not valid JSON."),
        ("broken.json.gz", b"plain bytes, not gzip", "Not a readable gzip file."),
        (
            "cut.json.gz",
            gzip.compress(b'{"resourceType": "Bundle"}', mtime=0)[:12],
            "Not a readable gzip file.",
        ),
        (
            "foo.json",
            b'{"resourceType": "Foo"}',
            "Not a FHIR R4 resource or Bundle (no resourceType that FHIR R4 defines).",
        ),
        (
            "list.json",
            b"[1, 2]",
            "Not a FHIR R4 resource or Bundle (no resourceType that FHIR R4 defines).",
        ),
        (
            "history.json",
            b'{"resourceType": "Bundle", "type": "history", "entry": []}',
            "A Bundle of a type that is not imported (accepted types: transaction, batch, "
            "collection, searchset, document).",
        ),
        ("notes.txt", b"hello", "Not a .json, .json.gz, .ndjson or .ndjson.gz file."),
    ],
)
def test_unreadable_files_are_reported_and_others_imported(
    cast, tmp_path, good_file, name, content, message
):
    bad = tmp_path / name
    bad.write_bytes(content)
    result = run(cast.clinic, bad, good_file)
    assert result["errors"] == [error(name, "file", message)]
    assert imported_good(result)


def test_files_over_the_size_limit_are_refused(cast, tmp_path, good_file, settings):
    settings.CAREBRIDGE_IMPORT_MAX_BYTES = 400
    big = json.dumps(
        bundle(entry(patient("big")), entry(observation("ob", "urn:uuid:big")))
    ).encode()
    assert len(big) > 400
    (tmp_path / "big.json").write_bytes(big)
    # Small once compressed, too large once not.
    (tmp_path / "bomb.json.gz").write_bytes(gzip.compress(b" " * 5000 + b"{}"))
    result = run(cast.clinic, tmp_path / "big.json", tmp_path / "bomb.json.gz")
    limit = "Larger than the import limit of 400\xa0bytes (uncompressed)."
    assert result == summary(
        errors=[error("big.json", "file", limit), error("bomb.json.gz", "file", limit)]
    )
    assert not Patient.objects.filter(given_name="Ada").exists()


@pytest.mark.parametrize(
    ("bad_resource", "message"),
    [
        (observation("o1", "urn:uuid:p1") | {"status": ""}, "Observation: 'status' is missing."),
        (
            observation("bad id!", "urn:uuid:p1"),
            "Observation: the id is not 1 to 64 letters, digits, '-' or '.'.",
        ),
        (
            observation("o1", "urn:uuid:p1", effectiveDateTime="last Tuesday"),
            "Observation: 'effectiveDateTime' is not a valid FHIR date or date-time.",
        ),
        (
            observation("o1", "urn:uuid:p1", performer=[{"reference": "urn:uuid:nobody"}]),
            "Observation: a reference in 'performer' points to an entry that is neither in this "
            "file nor already imported.",
        ),
        (
            observation("o1", "urn:uuid:p1") | {"subject": {"reference": 12}},
            "Observation: 'subject.reference' must be text.",
        ),
        (
            {
                "resourceType": "MedicationRequest",
                "id": "m1",
                "status": "active",
                "intent": "order",
                "subject": {"reference": "urn:uuid:p1"},
            },
            "MedicationRequest: 'medication[x]' is missing.",
        ),
        (
            {"resourceType": "Encounter", "id": "e1", "status": "finished"},
            "Encounter: 'class' is missing.",
        ),
        ({"resourceType": "Condition", "id": "c1"}, "Condition: 'subject' is missing."),
        (
            {"resourceType": "Observatoin", "id": "x"},
            "A resourceType that FHIR R4 does not define.",
        ),
        ("not an object", "Not a JSON object."),
    ],
)
def test_an_invalid_resource_stops_its_patient_group_only(
    cast, tmp_path, good_file, bad_resource, message
):
    document = bundle(
        entry(patient("p1")), entry(observation("ok", "urn:uuid:p1")), {"resource": bad_resource}
    )
    result = run(cast.clinic, write_json(tmp_path, "bad.json", document), good_file)
    counted = (
        3 if isinstance(bad_resource, dict) and bad_resource["resourceType"] != "Observatoin" else 2
    )
    assert result["errors"] == [
        error("bad.json", "entry 3", message),
        error("bad.json", "entry 1", NOTHING_FOR_PATIENT % counted),
    ]
    assert (result["skipped"], result["patients"]) == (counted, 2)
    assert not Patient.objects.filter(given_name="Ada").exists()
    assert not ClinicalResource.objects.filter(fhir_id="ok").exists()
    assert imported_good(result)


def test_a_patient_without_a_birth_date_is_not_imported(cast, tmp_path):
    person = patient("p1")
    del person["birthDate"]
    result = run(cast.clinic, write_json(tmp_path, "p.json", bundle(entry(person))))
    assert result == summary(
        patients=1,
        resources={"Patient": 1},
        skipped=1,
        errors=[
            error("p.json", "entry 1", "Patient: 'birthDate' is missing."),
            error("p.json", "entry 1", NOTHING_FOR_PATIENT.replace("resources", "resource") % 1),
        ],
    )


def test_two_entries_with_one_id_and_different_content_are_refused(cast, tmp_path):
    document = bundle(
        entry(patient("p1")),
        entry(observation("o1", "urn:uuid:p1")),
        entry(observation("o1", "urn:uuid:p1", value=9.9), "urn:uuid:other"),
    )
    result = run(cast.clinic, write_json(tmp_path, "dup.json", document))
    assert result["errors"] == [
        error(
            "dup.json",
            "entry 3",
            "Observation: another entry has the same type and id but other content.",
        ),
        error("dup.json", "entry 1", NOTHING_FOR_PATIENT % 3),
    ]


def test_an_id_of_another_patients_resource_is_a_clear_error(cast, tmp_path, good_file):
    taken = records.heart_rate(cast.second_patient, datetime.date(2024, 5, 1), 70)
    store_resources(
        clinic=cast.clinic, patient=cast.second_patient, resources=[taken], source="ehr"
    )
    document = bundle(entry(patient("p1")), entry(observation(taken["id"], "urn:uuid:p1")))
    result = run(cast.clinic, write_json(tmp_path, "conflict.json", document), good_file)
    assert result["errors"] == [
        error(
            "conflict.json",
            "entry 1",
            "Observation: its id already belongs to another patient's record.",
        ),
        error("conflict.json", "entry 1", NOTHING_FOR_PATIENT % 2),
    ]
    # The patient created in that group's transaction was rolled back with it.
    assert not Patient.objects.filter(given_name="Ada").exists()
    assert ClinicalResource.objects.get(fhir_id=taken["id"]).patient == cast.second_patient
    assert imported_good(result)


def test_an_ndjson_line_that_is_not_json_stops_the_patients_it_may_belong_to(cast, tmp_path):
    write_ndjson(
        tmp_path, "Patient.ndjson", [patient("p1"), patient("p2", given="Bea", family="Bell")]
    )
    write_ndjson(
        tmp_path, "Observation.ndjson", [observation("o1", "Patient/p1"), '{"resourceType": "Obs']
    )
    result = run(cast.clinic, tmp_path)
    assert result == summary(
        patients=2,
        resources={"Observation": 1, "Patient": 2},
        created=1,
        skipped=2,
        errors=[
            error("Observation.ndjson", "line 2", "Not valid JSON."),
            error(
                "Observation.ndjson",
                "line 1",
                "Observation: this file has lines that are not valid JSON, so this patient's "
                "resources may be incomplete.",
            ),
            error("Patient.ndjson", "line 1", NOTHING_FOR_PATIENT % 2),
        ],
    )
    assert list(
        Patient.objects.filter(family_name__in=["Lovelace", "Bell"]).values_list(
            "given_name", flat=True
        )
    ) == ["Bea"]


def test_ndjson_naming_a_patient_who_is_nowhere_is_refused(cast, tmp_path):
    result = run(
        cast.clinic, write_ndjson(tmp_path, "obs.ndjson", [observation("o1", "Patient/ghost")])
    )
    assert result["errors"] == [
        error(
            "obs.ndjson",
            "line 1",
            "These resources name a patient who is neither in the input nor in this clinic.",
        ),
        error("obs.ndjson", "line 1", NOTHING_FOR_PATIENT.replace("resources", "resource") % 1),
    ]
    assert ClinicalResource.objects.count() == 0


def test_a_reference_to_an_entry_that_failed_is_an_error_too(cast, tmp_path):
    broken_practitioner = {"resourceType": "Practitioner", "id": "bad id!"}
    document = bundle(
        entry(broken_practitioner, "urn:uuid:dr1"),
        entry(patient("p1")),
        entry(patient("p2", given="Bea", family="Bell")),
        entry(observation("o1", "urn:uuid:p1", performer=[{"reference": "urn:uuid:dr1"}])),
        entry(observation("o2", "urn:uuid:p2")),
        kind="collection",
    )
    result = run(cast.clinic, write_json(tmp_path, "c.json", document))
    bad_id = "Practitioner: the id is not 1 to 64 letters, digits, '-' or '.'."
    assert result["errors"] == [
        error("c.json", "entry 1", bad_id),
        error("c.json", "entry 1", "Nothing was imported from this group of 1 shared resource."),
        error(
            "c.json",
            "entry 4",
            "Observation: a reference in 'performer' points to an entry that is neither in this "
            "file nor already imported.",
        ),
        error("c.json", "entry 2", NOTHING_FOR_PATIENT % 2),
    ]
    assert (result["created"], result["skipped"]) == (2, 3)
    bea = Patient.objects.get(given_name="Bea")
    assert set(ClinicalResource.objects.values_list("fhir_id", "patient")) == {
        ("o2", bea.pk),
        (str(bea.pk), bea.pk),
    }


def test_an_element_of_the_wrong_shape_stops_its_group_with_its_position(cast, tmp_path, good_file):
    misshapen = observation("o1", "urn:uuid:p1", category=[{"coding": "laboratory"}])
    document = bundle(entry(patient("p1")), entry(misshapen))
    result = run(cast.clinic, write_json(tmp_path, "odd.json", document), good_file)
    assert result["errors"] == [
        error(
            "odd.json",
            "entry 2",
            "Observation: 'category.coding' must be a list (FHIR R4 allows several).",
        ),
        error("odd.json", "entry 1", NOTHING_FOR_PATIENT % 2),
    ]
    assert not Patient.objects.filter(given_name="Ada").exists()
    assert imported_good(result)
