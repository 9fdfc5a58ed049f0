"""The 41 Synthea patients of the shared reference data, imported and imported again."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.db.models import Count

from carebridge.patients.models import Patient, PatientIdentifier
from carebridge.records.models import ClinicalResource, ResourceVersion
from carebridge.records.tests.importing_files import run


def cast_patients(cast) -> list[object]:
    """The cast's own patients, the proxy personas' children included."""
    proxies = cast.proxies
    people = [cast.patient, cast.second_patient, cast.unenrolled_patient]
    return [p.pk for p in [*people, proxies.child, proxies.teen, proxies.new_adult]]


pytestmark = pytest.mark.django_db

SYNTHEA = Path(__file__).resolve().parents[3].parent.parent / "shared" / "data" / "synthea-r4"
# What the 43 files hold (the 41 patients' bundles repeat the practitioners and
# organisations of the hospital and practitioner bundles: 62 of each, 84 distinct).
READ = {
    "AllergyIntolerance": 24,
    "CarePlan": 121,
    "Claim": 1363,
    "Condition": 325,
    "DiagnosticReport": 445,
    "Encounter": 1096,
    "ExplanationOfBenefit": 1096,
    "Goal": 76,
    "ImagingStudy": 14,
    "Immunization": 489,
    "MedicationRequest": 267,
    "Observation": 6166,
    "Organization": 164,
    "Patient": 41,
    "Practitioner": 164,
    "Procedure": 830,
}
STORED = READ | {"Organization": 102, "Practitioner": 102}
ABDUL_ENCOUNTER = "abbc5979-3aca-43fe-91a6-8065b7e4a90f"
ABDUL_EOB = "f6f0fdfd-6c1e-4362-ac4f-bb47137304cb"
NORTH_SHORE = "4861d01f-019c-3dac-a153-8334e50919f9"


@pytest.fixture
def synthea() -> Path:
    if not SYNTHEA.is_dir():
        pytest.skip(f"the shared reference data is not here ({SYNTHEA}): see shared/data/README.md")
    return SYNTHEA


def test_synthea_bundles_import_exactly_and_again_change_nothing(cast, synthea):
    first = run(cast.clinic, synthea)
    # The patients' copies of a practitioner or organisation lack the extensions of the shared
    # bundles' copies: the first copy seen is a new version (84), the others the same (40).
    assert first == {
        "patients": 41,
        "resources": READ,
        "created": 12557,
        "updated": 84,
        "unchanged": 40,
        "skipped": 0,
        "waiting_for_review": 0,
        "errors": [],
        "warnings": [],
    }
    by_type = ClinicalResource.objects.values_list("resource_type").annotate(n=Count("id"))
    assert dict(by_type) == STORED
    assert (
        ResourceVersion.objects.count(),
        ClinicalResource.objects.filter(patient=None).count(),
    ) == (12641, 204)
    imported = Patient.objects.exclude(pk__in=cast_patients(cast))
    assert (imported.count(), PatientIdentifier.objects.count()) == (41, 191)

    abdul = imported.get(given_name="Abdul", family_name="Koepp")
    assert (abdul.mrn, abdul.sex, abdul.birth_date, abdul.city, abdul.preferred_language) == (
        "e925b0f3-8006-43f6-aa31-94bd215e55e7",
        "male",
        datetime.date(1956, 8, 3),
        "Peabody",
        "en",
    )
    encounter = ClinicalResource.objects.get(fhir_id=ABDUL_ENCOUNTER)
    assert (encounter.patient, encounter.performer) == (abdul, "Sharyl Hilpert")
    assert encounter.resource["subject"] == {"reference": f"Patient/{abdul.pk}"}
    assert encounter.resource["serviceProvider"] == {"reference": f"Organization/{NORTH_SHORE}"}
    eob = ClinicalResource.objects.get(fhir_id=ABDUL_EOB)
    assert eob.resource["referral"] == {"reference": "#referral"}
    assert eob.resource["contained"][0]["subject"] == {"reference": f"Patient/{abdul.pk}"}

    again = run(cast.clinic, synthea)
    assert again == first | {"created": 0, "updated": 0, "unchanged": 12681}
    assert ResourceVersion.objects.count() == 12641
    assert Patient.objects.count() == 41 + len(cast_patients(cast))
