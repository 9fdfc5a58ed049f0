"""The CapabilityStatement against US Core 6.1's server statement: every type it asks a server
to SHALL support for a patient record is served, with exactly its SHALL search parameters
under US Core's own definitions, and the includes it asks for."""

from __future__ import annotations

from typing import Any

import pytest

from carebridge.fhir.api.capability import capability_statement
from carebridge.testing.shared_data import us_core_or_skip
from carebridge.testing.uscore.package import UsCorePackage, read_package

# FHIR's own parameters every stored type answers besides US Core's: not US Core's to list.
BASE_PARAMETERS = {
    "_id": "http://hl7.org/fhir/SearchParameter/Resource-id",
    "_lastUpdated": "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated",
}
# US Core's SHALL types a patient-access server has nothing of: documents are the clinic's
# notes (DocumentReference), not images (Media); no questionnaires are kept as such.
NOT_SERVED = {"Media", "Questionnaire", "HealthcareService", "ValueSet"}


@pytest.fixture(scope="module")
def package() -> UsCorePackage:
    return read_package(us_core_or_skip())


def served() -> dict[str, Any]:
    return {item["type"]: item for item in capability_statement()["rest"][0]["resource"]}


def test_every_type_of_the_issue_is_served_with_its_us_core_profile(
    package: UsCorePackage,
) -> None:
    resources = served()
    expectations = package.expectations()
    assert set(expectations) - set(resources) == NOT_SERVED
    assert set(resources) - set(expectations) == set()
    for name, resource in resources.items():
        assert resource["interaction"] == [{"code": "read"}, {"code": "search-type"}]
        supported = resource.get("supportedProfile", [])
        assert set(supported) <= set(expectations[name].profiles), name
        assert len(supported) == (1 if expectations[name].profiles else 0), name


def test_each_type_advertises_its_shall_parameters_as_us_core_defines_them(
    package: UsCorePackage,
) -> None:
    problems = []
    for name, resource in served().items():
        expected = package.expectations()[name]
        advertised = {param["name"]: param for param in resource["searchParam"]}
        if missing := expected.required_parameters - set(advertised):
            problems.append(f"{name}: missing {sorted(missing)}")
        for code, param in advertised.items():
            if code in expected.definitions:
                definition = package.search_parameter(name, code)
                wanted = (expected.definitions[code], definition["type"])
            elif code in BASE_PARAMETERS:
                wanted = (BASE_PARAMETERS[code], "token" if code == "_id" else "date")
            else:
                problems.append(f"{name}: {code} is not a US Core parameter of the type")
                continue
            if (param["definition"], param["type"]) != wanted:
                problems.append(f"{name}: {code} is {param['definition']} ({param['type']})")
    assert problems == []


def test_each_type_advertises_the_includes_us_core_asks_for(package: UsCorePackage) -> None:
    for name, resource in served().items():
        expected = package.expectations()[name]
        assert sorted(resource.get("searchInclude", [])) == sorted(expected.includes), name
        assert resource.get("searchRevInclude", []) == list(expected.revincludes), name


def test_the_parameters_beyond_the_shall_ones_are_few_and_named(package: UsCorePackage) -> None:
    beyond = {
        name: sorted(
            {param["name"] for param in resource["searchParam"]}
            - package.expectations()[name].required_parameters
            - set(BASE_PARAMETERS)
        )
        for name, resource in served().items()
    }
    assert {name: extra for name, extra in beyond.items() if extra} == {
        "Condition": ["clinical-status"],
        "RelatedPerson": ["patient"],
        "Specimen": ["patient"],
    }
