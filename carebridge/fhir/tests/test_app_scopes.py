"""What an app may see, in plain words, from its scopes (the connected apps page's lines)."""

from __future__ import annotations

import pytest

from carebridge.fhir.templatetags.app_scopes import keeps_access, scope_words


@pytest.mark.parametrize(
    ("scope", "words"),
    [
        ("patient/*.read", ["The whole health record"]),
        (
            "openid fhirUser patient/*.rs",
            ["The whole health record", "Who is signed in (name only)"],
        ),
        (
            "patient/Observation.rs?category=vital-signs,laboratory patient/Observation.rs?"
            "category=http://terminology.hl7.org/CodeSystem/observation-category|survey",
            ["Test results", "Vital signs", "Answers to health questionnaires"],
        ),
        ("patient/Observation.read", ["Test results, vital signs and other measurements"]),
        (
            "patient/MedicationRequest.rs patient/Medication.r patient/CarePlan.s patient/Goal.rs",
            ["Medicines", "Goals and care plans"],
        ),
        ("patient/Basic.rs patient/Observation.rs?category=weird", ["Other parts of the record"]),
        # Write scopes and unknown ones grant nothing, so say nothing.
        ("launch/patient offline_access patient/Condition.write user/*.read", []),
    ],
)
def test_scopes_in_plain_words(scope: str, words: list[str]) -> None:
    assert scope_words(scope) == words


def test_only_offline_access_keeps_access() -> None:
    assert (keeps_access("patient/*.rs offline_access"), keeps_access("patient/*.rs")) == (
        True,
        False,
    )
