"""Literal references that resolve to nothing: stored all the same, and warned of by name."""

from __future__ import annotations

import pytest

from carebridge.records.importing.summary import readable_lines
from carebridge.records.models import ClinicalResource
from carebridge.records.tests.importing_files import (
    bundle,
    entry,
    observation,
    patient,
    practitioner,
    run,
    write_json,
)

pytestmark = pytest.mark.django_db

NOPE = (
    "Observation: a reference in 'performer' points to Practitioner/nope, which is neither in "
    "this file nor stored; it is kept as it was sent."
)


def ada_with(*resources):
    return bundle(entry(patient("p1")), *(entry(resource) for resource in resources))


def test_a_reference_to_nothing_is_stored_and_warned_of_with_its_type_and_id(cast, tmp_path):
    result = run(
        cast.clinic,
        write_json(
            tmp_path,
            "a.json",
            ada_with(
                observation("o1", "urn:uuid:p1", performer=[{"reference": "Practitioner/nope"}])
            ),
        ),
    )
    assert result["warnings"] == [{"source": "a.json", "position": "entry 2", "message": NOPE}]
    assert (result["created"], result["errors"]) == (2, [])
    stored = ClinicalResource.objects.get(fhir_id="o1").resource
    assert stored["performer"] == [{"reference": "Practitioner/nope"}]
    assert readable_lines(result)[-2:] == ["1 warning:", f"  a.json, entry 2: {NOPE}"]


def test_references_to_the_file_the_store_a_portal_patient_or_another_server_are_quiet(
    cast, tmp_path
):
    run(cast.clinic, write_json(tmp_path, "dr.json", bundle(entry(practitioner("stored-dr")))))
    performers = [
        {"reference": "Practitioner/in-file"},
        {"reference": "Practitioner/stored-dr/_history/1"},
        {"reference": "https://other.example.org/fhir/Practitioner/x"},
        {"reference": f"Patient/{cast.patient.pk}"},
    ]
    document = ada_with(
        practitioner("in-file"), observation("o1", "urn:uuid:p1", performer=performers)
    )
    result = run(cast.clinic, write_json(tmp_path, "a.json", document))
    assert (result["created"], result["errors"], result["warnings"]) == (3, [], [])


def test_a_contained_reference_must_name_a_contained_resource(cast, tmp_path):
    medicine = {"resourceType": "Medication", "id": "med", "code": {"text": "Metformin"}}
    request = {
        "resourceType": "MedicationRequest",
        "id": "rx1",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "urn:uuid:p1"},
        "contained": [medicine],
        "medicationReference": {"reference": "#med"},
        "reasonReference": [{"reference": "#gone"}],
    }
    result = run(cast.clinic, write_json(tmp_path, "a.json", ada_with(request)))
    assert result["warnings"] == [
        {
            "source": "a.json",
            "position": "entry 2",
            "message": "MedicationRequest: a reference in 'reasonReference' points to a "
            "contained resource #gone that is not there; it is kept as it was sent.",
        }
    ]


def test_a_group_that_fails_gives_errors_and_no_warnings(cast, tmp_path):
    broken = observation(
        "o1", "urn:uuid:p1", performer=[{"reference": "Practitioner/nope"}], colour="red"
    )
    result = run(cast.clinic, write_json(tmp_path, "a.json", ada_with(broken)))
    assert result["warnings"] == []
    assert [error["message"] for error in result["errors"]] == [
        "Observation: 'colour' is not an element FHIR R4 defines there.",
        "Nothing was imported for this patient (2 resources).",
    ]


def test_valid_single_valued_elements_import_whole(cast, tmp_path):
    request = {
        "resourceType": "MedicationRequest",
        "id": "rx1",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "urn:uuid:p1"},
        "medicationCodeableConcept": {"text": "Metformin 500 mg tablet"},
        "performer": {"reference": "urn:uuid:dr1"},
    }
    document = ada_with(practitioner("dr1"), request)
    result = run(cast.clinic, write_json(tmp_path, "a.json", document))
    assert (result["created"], result["errors"], result["warnings"]) == (3, [], [])
    stored = ClinicalResource.objects.get(fhir_id="rx1").resource
    assert stored["performer"] == {"reference": "Practitioner/dr1"}


def test_a_group_gives_each_warning_once_and_counts_those_past_ten(cast, tmp_path):
    twice = [{"reference": "Practitioner/nope"}, {"reference": "Practitioner/nope"}]
    observations = [
        observation(f"o{number}", "urn:uuid:p1", performer=twice) for number in range(12)
    ]
    result = run(cast.clinic, write_json(tmp_path, "a.json", ada_with(*observations)))
    assert [warning["position"] for warning in result["warnings"]] == [
        *(f"entry {number}" for number in range(2, 12)),
        "entry 2",
    ]
    assert result["warnings"][-1]["message"] == "And 2 more warnings."
    assert result["created"] == 13
