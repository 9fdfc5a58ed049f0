"""Index columns from FHIR JSON: tolerant of malformed elements, exact for good ones."""

from __future__ import annotations

import pytest

from carebridge.records.indexing import index_columns
from carebridge.records.services import display_from_reference

MALFORMED = [
    {"category": [{"coding": "x"}]},
    {"category": "laboratory"},
    {"clinicalStatus": {"coding": "x"}},
    {"component": 5},
    {"component": [5, "x", {"code": "x"}]},
    {"interpretation": 5},
    {"interpretation": [{"coding": [5]}]},
    {"code": "x"},
    {"code": {"coding": {"system": "s"}}},
    {"referenceRange": [{"low": 5}]},
    {"referenceRange": "x"},
    {"valueQuantity": "5"},
    {"performer": "x"},
    {"performer": [{"reference": 5}]},
    {"encounter": "x"},
    {"effectiveDateTime": 2020},
    {"effectivePeriod": {"start": ["2020"]}},
    {"dosageInstruction": "x"},
    {"reaction": [{"manifestation": "x"}]},
]


@pytest.mark.parametrize("element", MALFORMED, ids=lambda element: next(iter(element)))
@pytest.mark.parametrize(
    "resource_type", ["Observation", "AllergyIntolerance", "MedicationRequest"]
)
def test_malformed_elements_give_empty_columns_not_errors(resource_type, element):
    columns = index_columns({"resourceType": resource_type, **element}, display_from_reference)
    assert columns["code"] == ""
    assert columns["effective_at"] is None


def test_a_good_observation_fills_every_column():
    columns = index_columns(
        {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"code": "laboratory"}]}],
            "code": {
                "coding": [{"system": "http://loinc.org", "code": "2345-7"}],
                "text": "Glucose",
            },
            "effectiveDateTime": "2024-03-05",
            "valueQuantity": {"value": 250, "unit": "mg/dL"},
            "referenceRange": [{"low": {"value": 70}, "high": {"value": 99}}],
            "encounter": {"reference": "Encounter/e1"},
            "performer": [{"reference": "Practitioner/p1", "display": "Dr Lee"}],
        },
        display_from_reference,
    )
    assert {key: columns[key] for key in ("category", "code", "code_display", "status")} == {
        "category": "laboratory",
        "code": "2345-7",
        "code_display": "Glucose",
        "status": "final",
    }
    assert (columns["value_numeric"], columns["value_unit"], columns["interpretation"]) == (
        250.0,
        "mg/dL",
        "H",
    )
    assert (columns["reference_text"], columns["encounter_id"], columns["performer"]) == (
        "70 to 99",
        "e1",
        "Dr Lee",
    )
    assert columns["effective_at"].isoformat() == "2024-03-05T00:00:00+00:00"


CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def _is_sensitive(security) -> bool:
    resource = {"resourceType": "Condition", "meta": {"security": security}}
    return index_columns(resource, display_from_reference)["is_sensitive"]


@pytest.mark.parametrize(
    "security",
    [
        [{"system": CONFIDENTIALITY, "code": "R"}],
        [{"system": CONFIDENTIALITY, "code": "V"}],
        [{"system": "http://hl7.org/fhir/v3/Confidentiality", "code": "R"}],
        [{"system": ACT_CODE, "code": "42CFRPart2"}],
        [{"system": CONFIDENTIALITY, "code": "N"}, {"system": ACT_CODE, "code": "SUD"}],
        # A sensitive code with no system: hiding too much is the safe mistake.
        [{"code": "HIV"}],
    ],
)
def test_security_labels_that_mark_a_resource_sensitive(security):
    assert _is_sensitive(security) is True


@pytest.mark.parametrize(
    "code",
    ["ETH", "GDIS", "HIV", "PSY", "PSYTHPN", "SCA", "SDV", "SEX", "SICKLE", "STD", "SUD", "TBOO"],
)
def test_every_sensitivity_category_marks_a_resource_sensitive(code):
    assert _is_sensitive([{"system": ACT_CODE, "code": code}]) is True


@pytest.mark.parametrize(
    "security",
    [
        [],
        "R",
        [{"system": CONFIDENTIALITY, "code": "N"}],
        [{"system": CONFIDENTIALITY, "code": "M"}],
        [{"system": ACT_CODE, "code": "R"}],
        [{"system": "http://example.org/local", "code": "PSY"}],
    ],
)
def test_labels_that_do_not_mark_a_resource_sensitive(security):
    assert _is_sensitive(security) is False


def test_a_resource_without_meta_is_not_sensitive():
    assert (
        index_columns({"resourceType": "Condition"}, display_from_reference)["is_sensitive"]
        is False
    )
