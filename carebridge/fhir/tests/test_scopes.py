"""SMART scopes in v1 and v2 syntax: exactly what each grants, and what is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carebridge.fhir.scopes import ResourceScope, ScopeSet, parse_resource_scope


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("patient/*.read", ResourceScope("*", read=True, search=True)),
        ("patient/*.*", ResourceScope("*", read=True, search=True)),
        ("patient/*.rs", ResourceScope("*", read=True, search=True)),
        ("patient/Observation.read", ResourceScope("Observation", read=True, search=True)),
        ("patient/Observation.rs", ResourceScope("Observation", read=True, search=True)),
        ("patient/Observation.r", ResourceScope("Observation", read=True, search=False)),
        ("patient/Observation.s", ResourceScope("Observation", read=False, search=True)),
        ("patient/Observation.cruds", ResourceScope("Observation", read=True, search=True)),
        (
            "patient/Observation.rs?category=laboratory",
            ResourceScope("Observation", True, True, frozenset({"laboratory"})),
        ),
        (
            "patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/"
            "observation-category|vital-signs",
            ResourceScope("Observation", True, True, frozenset({"vital-signs"})),
        ),
    ],
)
def test_clinical_scopes_in_both_syntaxes(scope: str, expected: ResourceScope) -> None:
    assert parse_resource_scope(scope) == expected


@pytest.mark.parametrize(
    "scope",
    [
        "user/*.read",
        "system/*.rs",
        "patient/Observation.write",
        "patient/Observation.cu",
        "patient/Observation.sr",
        "patient/Observation.rr",
        "patient/observation.rs",
        "patient/Observation.rs?code=1234-5",
        "patient/Observation.rs?category=",
        "patient/Observation.rs?category=a&code=b",
        "patient/Observation",
    ],
)
def test_scopes_the_api_cannot_serve_grant_nothing(scope: str) -> None:
    assert parse_resource_scope(scope) is None
    parsed = ScopeSet.parse(scope)
    assert (parsed.resources, parsed.unknown) == ((), (scope,))


def test_a_typical_standalone_launch_request() -> None:
    scopes = ScopeSet.parse(
        "launch/patient openid fhirUser offline_access patient/Patient.rs "
        "patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs"
    )
    assert scopes.launch_patient and scopes.has_openid and scopes.has_fhir_user
    assert scopes.has_offline_access
    assert scopes.permits("Patient", "read") and scopes.permits("Observation", "search")
    assert not scopes.permits("Condition", "read")
    assert scopes.categories_for("Observation", "search") == {"laboratory", "vital-signs"}
    assert scopes.categories_for("Patient", "read") is None
    assert scopes.categories_for("Condition", "read") == frozenset()
    assert scopes.resource_types() == {"Patient", "Observation"}


def test_a_wider_scope_lifts_a_category_restriction() -> None:
    scopes = ScopeSet.parse("patient/Observation.rs?category=laboratory patient/*.read")
    assert scopes.categories_for("Observation", "read") is None


def test_read_without_search_permits_only_reads() -> None:
    scopes = ScopeSet.parse("patient/Condition.r")
    assert (scopes.permits("Condition", "read"), scopes.permits("Condition", "search")) == (
        True,
        False,
    )


@given(st.text(max_size=200))
def test_any_text_parses_without_error_and_grants_only_what_it_names(text: str) -> None:
    scopes = ScopeSet.parse(text)
    for scope in scopes.resources:
        assert f"patient/{scope.resource_type}." in text
