"""Reading the US Core 6.1 package: what its server CapabilityStatement asks for, type by type."""

from __future__ import annotations

import pytest

from carebridge.testing.shared_data import us_core_or_skip
from carebridge.testing.uscore.package import UsCorePackage, read_package


@pytest.fixture(scope="module")
def package() -> UsCorePackage:
    return read_package(us_core_or_skip())


def test_the_shall_parameters_and_combinations_of_some_types(package: UsCorePackage) -> None:
    expectations = package.expectations()
    observation = expectations["Observation"]
    assert (observation.parameters, observation.combinations) == (
        (),
        (("patient", "category", "date"), ("patient", "category"), ("patient", "code")),
    )
    assert observation.required_parameters == {"patient", "category", "date", "code"}
    medication_request = expectations["MedicationRequest"]
    assert medication_request.required_parameters == {"patient", "intent", "status"}
    assert medication_request.includes == {"MedicationRequest:medication": "SHOULD"}
    assert medication_request.revincludes == {"Provenance:target": "SHALL"}
    assert expectations["Location"].parameters == ("name", "address")
    assert expectations["RelatedPerson"].required_parameters == {"_id"}
    assert expectations["Specimen"].required_parameters == {"_id"}
    assert expectations["Medication"].required_parameters == frozenset()
    assert expectations["PractitionerRole"].includes == {
        "PractitionerRole:endpoint": "SHOULD",
        "PractitionerRole:practitioner": "SHOULD",
    }
    assert expectations["Patient"].interactions == ("search-type", "read")


def test_the_types_and_their_own_expectations(package: UsCorePackage) -> None:
    levels = {name: item.expectation for name, item in package.expectations().items()}
    assert levels["QuestionnaireResponse"] == "SHOULD"
    assert levels["HealthcareService"] == "MAY"
    assert sorted(name for name, level in levels.items() if level == "SHALL") == [
        "AllergyIntolerance", "CarePlan", "CareTeam", "Condition", "Coverage", "Device",
        "DiagnosticReport", "DocumentReference", "Encounter", "Endpoint", "Goal", "Immunization",
        "Location", "Media", "Medication", "MedicationDispense", "MedicationRequest",
        "Observation", "Organization", "Patient", "Practitioner", "PractitionerRole",
        "Procedure", "Provenance", "RelatedPerson", "ServiceRequest", "Specimen",
    ]  # fmt: skip


def test_a_search_parameter_is_read_from_its_definition(package: UsCorePackage) -> None:
    category = package.search_parameter("Observation", "category")
    assert (category["code"], category["type"], category["expression"]) == (
        "category",
        "token",
        "Observation.category",
    )
    assert package.search_parameter("Encounter", "date")["type"] == "date"


def test_profiles_are_the_resource_profiles_only(package: UsCorePackage) -> None:
    assert len(package.profiles) == 49
    assert package.profile_by_id("us-core-patient")["type"] == "Patient"
