"""The parts of the record a scope request reaches, and the scopes granted for the parts kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from carebridge.fhir.scopes import ScopeSet
from carebridge.fhir.smart.parts import PARTS, granted_scope, requested_parts

EVERYTHING = "launch/patient openid fhirUser offline_access patient/*.rs"
# Requests in v1 and v2 syntax, whole and category-limited.
REQUESTS = (
    EVERYTHING,
    "launch/patient patient/*.read",
    "launch/patient patient/Observation.rs patient/Condition.r patient/Patient.s",
    "openid patient/Observation.rs?category=laboratory patient/MedicationRequest.read",
    "patient/Observation.rs?category=social-history patient/Observation.s?category=vital-signs",
)


def _keys(scope: str) -> list[str]:
    return [part.key for part in requested_parts(ScopeSet.parse(scope))]


def test_a_category_limited_observation_scope_is_named_as_its_category() -> None:
    assert _keys("patient/Observation.rs?category=laboratory") == ["results"]
    assert _keys("patient/Observation.rs?category=http://x|vital-signs") == ["vitals"]
    assert _keys("patient/Observation.rs?category=survey") == ["other_observations"]
    assert _keys("patient/Observation.rs") == ["results", "vitals", "other_observations"]


def test_keeping_every_part_grants_the_scopes_as_written_less_the_unknown() -> None:
    asked = "patient/*.read launch/patient bogus openid system/*.rs"
    assert granted_scope(asked, [part.key for part in PARTS]) == (
        "launch/patient openid patient/*.read"
    )


def test_unticking_rewrites_the_scopes_part_by_part() -> None:
    asked = "launch/patient patient/Observation.rs patient/Condition.r patient/Patient.s"
    assert granted_scope(asked, ["vitals", "conditions"]) == (
        "launch/patient patient/Observation.rs?category=vital-signs patient/Condition.r"
    )


@given(
    request=st.sampled_from(REQUESTS),
    keep=st.sets(st.sampled_from([part.key for part in PARTS]), min_size=1),
)
def test_the_granted_scope_reaches_exactly_the_parts_kept(request: str, keep: set[str]) -> None:
    asked = set(_keys(request))
    granted = granted_scope(request, keep)
    parsed = ScopeSet.parse(granted)
    assert parsed.unknown == ()
    assert set(_keys(granted)) == asked & keep
    # The identity and launch scopes stay as asked.
    assert parsed.identity == ScopeSet.parse(request).identity
    assert parsed.launch_patient == ScopeSet.parse(request).launch_patient
