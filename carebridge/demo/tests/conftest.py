"""Fixtures for the demo generator's tests: generated once per module, they are read-only."""

from __future__ import annotations

from typing import Any

import pytest

from carebridge.demo.clinical import generate_large_record
from carebridge.demo.generator import PatientSpec, generate_patients
from carebridge.demo.tests.clinical_helpers import MRN_SYSTEM, TODAY, build


@pytest.fixture(scope="module")
def patients() -> list[PatientSpec]:
    return generate_patients(12, today=TODAY)


@pytest.fixture(scope="module")
def bundles(patients: list[PatientSpec]) -> list[dict[str, Any]]:
    return [build(spec) for spec in patients]


@pytest.fixture(scope="module")
def large_record() -> dict[str, Any]:
    return generate_large_record(mrn_system=MRN_SYSTEM, today=TODAY)
