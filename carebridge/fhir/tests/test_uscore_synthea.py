"""A Synthea patient imported from the shared reference data, read back through the API and
held to US Core 6.1: every resource the API returns for her is the stored one, loses nothing
its profile must support, and misses no required element beyond what the source itself lacks
(Synthea 2.4 predates US Core 6: its Conditions carry no category, its CarePlans no
`assess-plan` category). Imported once for the module, inside the module's shared cast."""

from __future__ import annotations

import json
import pickle
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from carebridge.fhir.tests.api import BASE, get
from carebridge.patients.models import Patient
from carebridge.records.exports.bundle_links import rekey
from carebridge.records.importing.pipeline import import_files
from carebridge.records.importing.readers import find_files
from carebridge.records.models import ClinicalResource
from carebridge.testing.factories import make_user
from carebridge.testing.fhir import connect_app, issue_token
from carebridge.testing.personas import Cast
from carebridge.testing.shared_data import synthea_or_skip, us_core_or_skip
from carebridge.testing.uscore.checker import check_resource
from carebridge.testing.uscore.package import UsCorePackage, read_package
from carebridge.testing.uscore.profiles import profile_for

pytestmark = pytest.mark.django_db

# A small record (176 resources): one patient's bundle and the bundles it references.
BRAIN = "Brain_Erdman_ae4b94e4-cfbb-4091-828d-8ddc1c32bb6b.json.gz"
SHARED = (
    "hospitalInformation1559319163815.json.gz",
    "practitionerInformation1559319163815.json.gz",
)
# What the API serves of her (Claims and ExplanationOfBenefits are billing's, not US Core's).
SERVED_COUNTS = {
    "CarePlan": 1,
    "Condition": 6,
    "DiagnosticReport": 2,
    "Encounter": 19,
    "Immunization": 3,
    "MedicationRequest": 4,
    "Observation": 88,
    "Patient": 1,
    "Procedure": 8,
}
KNOWN_GAPS = {
    ("us-core-careplan", "CarePlan.category:AssessPlan: required slice, missing"): 1,
    ("us-core-condition-problems-health-concerns", "Condition.category: required, missing"): 6,
}


@pytest.fixture(scope="module")
def brain(_module_cast: Any, django_db_blocker: Any) -> Patient:
    """Brain Erdman, imported into the module's cast clinic once."""
    folder = synthea_or_skip()
    assert _module_cast is not None, "every test here must use the shared cast"
    cast: Cast = pickle.loads(_module_cast[1])  # noqa: S301 (the plugin's own bytes)
    with django_db_blocker.unblock():
        files = find_files([folder / name for name in (*SHARED, BRAIN)])
        import_files(clinic=cast.clinic, files=files)
        patient = Patient.objects.get(family_name="Erdman", clinic=cast.clinic)
        # His portal account, so that an app he connects reads his record as his own.
        patient.user = make_user(email="brain@example.org", first_name="Brain", last_name="E")
        patient.save(update_fields=["user"])
        return patient


@pytest.fixture(scope="module")
def package() -> UsCorePackage:
    return read_package(us_core_or_skip())


@pytest.fixture
def token(cast: Cast, brain: Patient) -> str:
    assert brain.user is not None
    return issue_token(connect_app(user=brain.user, patient=brain))


def everything(token: str, brain: Patient) -> Iterator[dict[str, Any]]:
    following = f"Patient/{brain.pk}/$everything?_count=200"
    while following:
        response = get(token, following)
        assert response.status_code == 200, response.content
        bundle = json.loads(response.content)
        yield from bundle.get("entry", [])
        nexts = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        following = nexts[0].removeprefix(f"{BASE}/") if nexts else ""


def test_every_resource_served_is_the_stored_one_and_meets_us_core_but_for_the_sources_gaps(
    cast: Cast, brain: Patient, token: str, package: UsCorePackage
) -> None:
    entries = list(everything(token, brain))
    matched = [e["resource"] for e in entries if e["search"]["mode"] == "match"]
    assert Counter(r["resourceType"] for r in matched) == SERVED_COUNTS
    stored = {
        str(row.api_id): rekey(row.resource, row.clinic_id)
        for row in ClinicalResource.objects.filter(patient=brain)
    }
    gaps: Counter[tuple[str, str]] = Counter()
    dropped = []
    for resource in matched[1:]:
        assert resource == stored[resource["id"]]
        profile = profile_for(package, resource)
        assert profile is not None
        report = check_resource(profile, resource, source=stored[resource["id"]])
        gaps.update((profile["id"], problem) for problem in report.problems)
        dropped += report.must_support_dropped
    assert (dict(gaps), dropped) == (KNOWN_GAPS, [])
    patient_report = check_resource(package.profile_by_id("us-core-patient"), matched[0])
    assert patient_report.problems == []
    # The practitioners and organisations her record points at come along, and meet theirs.
    shared = [e["resource"] for e in entries if e["search"]["mode"] == "include"]
    assert Counter(r["resourceType"] for r in shared) == {"Organization": 1, "Practitioner": 1}
    for resource in shared:
        profile = profile_for(package, resource)
        assert profile is not None
        assert check_resource(profile, resource).problems == [], resource["resourceType"]


def test_every_type_is_read_and_searched(cast: Cast, brain: Patient, token: str) -> None:
    entries = list(everything(token, brain))
    by_type: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    for resource_type, resources in sorted(by_type.items()):
        first = resources[0]
        read = get(token, f"{resource_type}/{first['id']}")
        assert (read.status_code, json.loads(read.content)) == (200, first), resource_type
        query = f"{resource_type}?patient={brain.pk}"
        if resource_type in ("Practitioner", "Organization", "Patient"):
            query = f"{resource_type}?_id={first['id']}"
        found = json.loads(get(token, f"{query}&_count=200").content)
        assert found["total"] == len(resources), resource_type
