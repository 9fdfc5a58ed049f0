"""Structure checks from FHIR R4's own definitions: valid R4 accepted, invalid R4 refused.

The table of cardinalities and types is generated from the official StructureDefinitions; these
tests hold it to whole published example sets (US Core 6.1's examples, the Synthea bundles) and
to exact messages for each kind of invalid structure.
"""

from __future__ import annotations

import gzip
import json
import os
import tarfile
from pathlib import Path
from typing import Any

import pytest

from carebridge.records.importing.definitions.build import TABLE, build_table, table_text
from carebridge.records.importing.structure import resource_types, structure_problem, table
from carebridge.records.importing.validation import shape_problem

SHARED_DATA = Path(
    os.environ.get(
        "CAREBRIDGE_SHARED_DATA", Path(__file__).resolve().parents[3].parent / "shared" / "data"
    )
)
US_CORE = SHARED_DATA / "us-core" / "hl7.fhir.us.core-610.tgz"
SYNTHEA = SHARED_DATA / "synthea-r4"
# Where `make fhir-definitions` unpacks the package the table is generated from.
DEFINITIONS_PACKAGE = Path(
    os.environ.get(
        "CAREBRIDGE_FHIR_DEFINITIONS",
        Path(__file__).resolve().parents[3] / "var" / "fhir-definitions" / "package",
    )
)
SUBJECT = {"reference": "Patient/p1"}


def medication_request(**extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "MedicationRequest",
        "id": "m1",
        "status": "active",
        "intent": "order",
        "subject": SUBJECT,
        "medicationCodeableConcept": {"text": "Metformin 500 mg tablet"},
        **extra,
    }


# Valid R4 that a hand-written list once refused: each element is single-valued (max "1").
SINGLE_VALUED = [
    medication_request(performer={"reference": "Practitioner/dr1"}),
    {
        "resourceType": "DeviceRequest",
        "status": "active",
        "intent": "order",
        "subject": SUBJECT,
        "codeCodeableConcept": {"text": "Wheelchair"},
        "performer": {"reference": "Practitioner/dr1"},
    },
    {
        "resourceType": "Task",
        "status": "requested",
        "intent": "order",
        "reasonCode": {"text": "Follow-up"},
    },
    {"resourceType": "QuestionnaireResponse", "status": "completed", "identifier": {"value": "q"}},
    {
        "resourceType": "AdverseEvent",
        "actuality": "actual",
        "subject": SUBJECT,
        "identifier": {"value": "ae-1"},
    },
]


@pytest.mark.parametrize("resource", SINGLE_VALUED, ids=lambda r: r["resourceType"])
def test_single_valued_elements_written_as_one_value_are_accepted(resource):
    assert shape_problem(resource) is None


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        (
            medication_request(performer=[{"reference": "Practitioner/dr1"}]),
            "MedicationRequest: 'performer' must be a single value, not a list.",
        ),
        (
            medication_request(dosageInstruction={"text": "Once a day"}),
            "MedicationRequest: 'dosageInstruction' must be a list (FHIR R4 allows several).",
        ),
        (
            medication_request(subject="Patient/p1"),
            "MedicationRequest: 'subject' must be an object.",
        ),
        (
            medication_request(colour="red"),
            "MedicationRequest: 'colour' is not an element FHIR R4 defines there.",
        ),
        (
            medication_request(medicationReference={"reference": "Medication/x"}),
            "MedicationRequest: 'medicationReference' is a second value of a single choice.",
        ),
        (
            medication_request(dosageInstruction=[{"timing": {"repeat": {"frequency": "2"}}}]),
            "MedicationRequest: 'dosageInstruction.timing.repeat.frequency' must be a whole "
            "number.",
        ),
        (
            medication_request(doNotPerform="no"),
            "MedicationRequest: 'doNotPerform' must be true or false.",
        ),
        (
            medication_request(contained=[{"id": "med"}]),
            "MedicationRequest: 'contained' has no resourceType FHIR R4 defines.",
        ),
        (
            medication_request(
                contained=[{"resourceType": "Medication", "id": "med", "code": "metformin"}]
            ),
            "MedicationRequest: 'contained.code' must be an object.",
        ),
        (
            {
                "resourceType": "Observation",
                "status": "final",
                "code": {"text": "Blood pressure"},
                "component": [{"code": {"text": "Systolic"}, "valueQuantity": {"value": "120"}}],
            },
            "Observation: 'component.valueQuantity.value' must be a number.",
        ),
        (
            {
                "resourceType": "Questionnaire",
                "status": "active",
                "item": [{"linkId": "1", "type": "group", "item": {"linkId": "1.1"}}],
            },
            "Questionnaire: 'item.item' must be a list (FHIR R4 allows several).",
        ),
        (
            {
                "resourceType": "Patient",
                "name": [{"given": ["Ada"]}],
                "birthDate": "1950-12-10",
                "_birthDate": "x",
            },
            "Patient: '_birthDate' must be an object.",
        ),
        ({"id": "x", "status": "final"}, "No resourceType."),
    ],
)
def test_invalid_structure_is_refused_naming_the_element(resource, message):
    assert shape_problem(resource) == message


def test_a_primitive_list_may_hold_null_beside_its_extension_twin():
    resource = {
        "resourceType": "Patient",
        "name": [
            {
                "given": ["Ada", None],
                "_given": [None, {"extension": [{"url": "urn:x", "valueString": "A."}]}],
            }
        ],
    }
    assert structure_problem(resource) == ""


def test_the_table_is_r4_without_the_additions_of_the_package_it_comes_from():
    types = table()["types"]
    assert table()["fhirVersion"] == "4.0.1"
    assert len(resource_types()) == 146
    assert "SubscriptionStatus" not in resource_types()
    assert sorted(types["Meta"]) == [
        "extension",
        "id",
        "lastUpdated",
        "profile",
        "security",
        "source",
        "tag",
        "versionId",
    ]
    assert "publisher" not in types["ObservationDefinition"]
    assert types["MedicationRequest"]["performer"] == [False, ["Reference"]]
    assert types["Observation"]["valueQuantity"] == [False, ["Quantity"], "value[x]"]
    assert types["Questionnaire.item"]["item"] == [True, ["Questionnaire.item"]]


@pytest.mark.skipif(
    not (DEFINITIONS_PACKAGE / "dist").is_dir(),
    reason="the definitions package is not unpacked here (make fhir-definitions)",
)
def test_the_committed_table_is_what_the_package_generates():
    assert TABLE.read_text() == table_text(build_table(DEFINITIONS_PACKAGE))


def us_core_examples() -> list[tuple[str, dict[str, Any]]]:
    with tarfile.open(US_CORE) as archive:
        return [
            (member.name.rsplit("/", 1)[-1], json.load(archive.extractfile(member)))  # type: ignore[arg-type]
            for member in archive.getmembers()
            if member.name.startswith("package/example/") and member.name.endswith(".json")
        ]


@pytest.mark.skipif(not US_CORE.exists(), reason="../shared/data (US Core 6.1) is not here")
def test_every_us_core_example_of_an_r4_type_is_accepted():
    examples = us_core_examples()
    refused = {
        name: shape_problem(resource)
        for name, resource in examples
        if resource.get("resourceType") in resource_types() and shape_problem(resource)
    }
    assert refused == {}
    assert len(examples) == 183


@pytest.mark.skipif(not SYNTHEA.is_dir(), reason="../shared/data (Synthea) is not here")
def test_every_resource_of_the_synthea_bundles_is_accepted():
    checked, refused = 0, []
    for path in sorted(SYNTHEA.glob("*.json.gz")):
        for bundle_entry in json.loads(gzip.decompress(path.read_bytes()))["entry"]:
            checked += 1
            problem = shape_problem(bundle_entry["resource"])
            if problem:
                refused.append((path.name, problem))
    assert (checked, refused) == (12681, [])
