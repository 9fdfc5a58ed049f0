"""The US Core profile checker on small handmade resources: each kind of problem it finds, and
the must-support elements it reports without failing."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from carebridge.testing.personas import Cast
from carebridge.testing.shared_data import us_core_or_skip
from carebridge.testing.us_core_record import build_us_core_record
from carebridge.testing.uscore.checker import check_resource, matches_pattern
from carebridge.testing.uscore.package import UsCorePackage, read_package
from carebridge.testing.uscore.profiles import profile_for

Json = dict[str, Any]
LOINC = "http://loinc.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SUBJECT = {"reference": "Patient/p1"}
BMI_URL = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-bmi"


@pytest.fixture(scope="module")
def package() -> UsCorePackage:
    return read_package(us_core_or_skip())


def coded(system: str, code: str) -> Json:
    return {"coding": [{"system": system, "code": code}]}


def blood_pressure() -> Json:
    def component(code: str, value: float) -> Json:
        quantity = {"value": value, "unit": "mmHg", "system": "http://unitsofmeasure.org"}
        return {"code": coded(LOINC, code), "valueQuantity": quantity | {"code": "mm[Hg]"}}

    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [coded(CATEGORY, "vital-signs")],
        "code": coded(LOINC, "85354-9"),
        "subject": SUBJECT,
        "effectiveDateTime": "2024-05-01T09:30:00Z",
        "component": [component("8480-6", 128), component("8462-4", 82)],
    }


def lab_result() -> Json:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [coded(CATEGORY, "laboratory")],
        "code": coded(LOINC, "2345-7"),
        "subject": SUBJECT,
    }


def check(package: UsCorePackage, resource: Json, source: Json | None = None) -> Any:
    profile = profile_for(package, resource)
    assert profile is not None
    return check_resource(profile, resource, source=source)


def test_a_complete_blood_pressure_meets_its_profile(package: UsCorePackage) -> None:
    report = check(package, blood_pressure())
    assert (
        report.profile == "http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure"
    )
    assert (report.is_conformant, report.problems) == (True, [])


def test_missing_required_elements_and_slices_are_problems(package: UsCorePackage) -> None:
    resource = blood_pressure()
    del resource["status"], resource["effectiveDateTime"]
    resource["category"] = [coded(CATEGORY, "laboratory")]
    del resource["component"][1]
    report = check_resource(package.profile_by_id("us-core-blood-pressure"), resource)
    assert report.problems == [
        "Observation.status: required, missing",
        "Observation.category:VSCat: required slice, missing",
        "Observation.effective[x]: required, missing",
        "Observation.component: required, missing",
        "Observation.component:diastolic: required slice, missing",
    ]
    assert report.is_conformant is False


def test_a_required_element_inside_a_present_parent_is_checked_each_time(
    package: UsCorePackage,
) -> None:
    resource = blood_pressure()
    del resource["component"][0]["valueQuantity"]["unit"]
    resource["component"][1]["valueQuantity"]["code"] = "mmHg"
    report = check(package, resource)
    assert report.problems == [
        "Observation.component:systolic.value[x].unit: required, missing",
        "Observation.component:diastolic.value[x].code: does not match the profile's fixed value",
    ]


def test_a_patterned_code_that_differs_is_a_problem(package: UsCorePackage) -> None:
    resource = blood_pressure()
    resource["code"] = coded(LOINC, "8867-4")
    report = check_resource(package.profile_by_id("us-core-blood-pressure"), resource)
    assert report.problems == ["Observation.code: does not match the profile's pattern value"]


def test_a_lab_result_needs_its_laboratory_category(package: UsCorePackage) -> None:
    assert check(package, lab_result()).problems == []
    resource = lab_result()
    resource["category"].append(coded(CATEGORY, "exam"))
    assert check(package, resource).problems == []
    profile = package.profile_by_id("us-core-observation-lab")
    resource["category"] = [coded(CATEGORY, "exam")]
    assert check_resource(profile, resource).problems == [
        "Observation.category:us-core: required slice, missing"
    ]


def test_must_support_elements_are_reported_not_failed(package: UsCorePackage) -> None:
    source = lab_result() | {"valueQuantity": {"value": 1.2}, "specimen": {"reference": "S/1"}}
    served = copy.deepcopy(source)
    del served["specimen"]
    report = check(package, served, source=source)
    assert report.is_conformant is True
    assert report.must_support_dropped == ["Observation.specimen"]
    assert report.must_support_absent == [
        "Observation.effective[x]",
        "Observation.dataAbsentReason",
        "Observation.specimen",
    ]


def test_a_primitive_present_only_by_its_extension_counts_as_present(
    package: UsCorePackage,
) -> None:
    resource = lab_result()
    absent = {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason"}]}
    resource["_status"] = absent
    del resource["status"]
    assert check(package, resource).problems == []


def test_a_resource_of_another_type_is_refused(package: UsCorePackage) -> None:
    report = check_resource(package.profile_by_id("us-core-patient"), lab_result())
    assert report.problems == ["resourceType is not Patient"]


@pytest.mark.parametrize(
    ("resource", "profile_id"),
    [
        ({"resourceType": "Patient"}, "us-core-patient"),
        ({"resourceType": "Device"}, "us-core-implantable-device"),
        ({"resourceType": "Condition"}, "us-core-condition-problems-health-concerns"),
        (
            {"resourceType": "Condition", "category": [coded("c", "encounter-diagnosis")]},
            "us-core-condition-encounter-diagnosis",
        ),
        (
            {"resourceType": "DiagnosticReport", "category": [coded("c", "LAB")]},
            "us-core-diagnosticreport-lab",
        ),
        ({"resourceType": "DiagnosticReport"}, "us-core-diagnosticreport-note"),
        ({"resourceType": "Observation"}, "us-core-simple-observation"),
        (
            {"resourceType": "Observation", "category": [coded(CATEGORY, "vital-signs")]},
            "us-core-vital-signs",
        ),
        (
            {"resourceType": "Observation", "category": [coded(CATEGORY, "survey")]},
            "us-core-observation-screening-assessment",
        ),
        (
            {"resourceType": "Observation", "meta": {"profile": ["x", BMI_URL]}},
            "us-core-bmi",
        ),
    ],
)
def test_the_profile_a_resource_is_held_to(
    package: UsCorePackage, resource: Json, profile_id: str
) -> None:
    profile = profile_for(package, resource)
    assert profile is not None
    assert profile["id"] == profile_id


def test_types_without_a_profile_are_held_to_none(package: UsCorePackage) -> None:
    assert profile_for(package, {"resourceType": "Claim"}) is None


def test_pattern_matching() -> None:
    pattern = {"coding": [{"system": "s", "code": "a"}]}
    assert matches_pattern({"coding": [{"system": "s", "code": "a", "display": "A"}]}, pattern)
    assert matches_pattern({"coding": [{"code": "b"}, {"system": "s", "code": "a"}]}, pattern)
    assert not matches_pattern({"coding": [{"system": "s", "code": "b"}]}, pattern)
    assert not matches_pattern({"text": "a"}, pattern)
    assert not matches_pattern("a", pattern)


@pytest.mark.django_db
def test_the_tests_handmade_us_core_record_meets_its_profiles(
    package: UsCorePackage, cast: Cast
) -> None:
    record = build_us_core_record(cast.patient)
    resources = [*record.own.values(), *record.shared.values(), record.unlinked_practitioner]
    reports = {}
    for resource in resources:
        profile = profile_for(package, resource)
        if profile is not None:
            reports[resource["resourceType"]] = check_resource(profile, resource).problems
    assert sorted(reports) == sorted({r["resourceType"] for r in resources} - {"Endpoint"})
    assert {name: problems for name, problems in reports.items() if problems} == {}
