"""The demo health-record generator: the Bundle's shape, its ids and references, determinism,
and the benchmark's large record. Clinical content is tested in `test_clinical_content.py`."""

import datetime
import json
import time
import uuid
from collections import Counter
from typing import Any

import pytest

from carebridge.demo.clinical import (
    generate_large_record,
)
from carebridge.demo.tests.clinical_helpers import (
    MRN_SYSTEM,
    TODAY,
    build,
    resources,
)

STATUS_FIELDS = {
    "Observation": ("status", {"final"}),
    "DiagnosticReport": ("status", {"final"}),
    "Encounter": ("status", {"finished"}),
    "ServiceRequest": ("status", {"completed"}),
    "MedicationRequest": ("status", {"active", "stopped", "completed"}),
    "Immunization": ("status", {"completed"}),
    "Procedure": ("status", {"completed"}),
    "DocumentReference": ("status", {"current"}),
    "CarePlan": ("status", {"active", "completed"}),
    "CareTeam": ("status", {"active"}),
    "Goal": ("lifecycleStatus", {"active", "completed"}),
    "Appointment": ("status", {"fulfilled", "cancelled", "booked"}),
}


def type_counts(bundle: dict[str, Any]) -> dict[str, int]:
    return dict(sorted(Counter(r["resourceType"] for r in resources(bundle)).items()))


def references_in(value: Any) -> list[str]:
    """Every `reference` string anywhere inside a resource."""
    if isinstance(value, dict):
        own = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return own + [ref for item in value.values() for ref in references_in(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in references_in(item)]
    return []


def test_same_seed_gives_identical_json_and_another_seed_another_record(patients, bundles):
    adult = patients[3]
    again = json.dumps(build(adult), sort_keys=True)
    assert again == json.dumps(bundles[3], sort_keys=True)
    other = build(adult, seed=7)
    assert json.dumps(other, sort_keys=True) != again
    # The ids name the same things whatever the seed: the patient and the clinic's people.
    assert resources(other)[0]["id"] == resources(bundles[3])[0]["id"]


def test_a_bundle_is_a_transaction_of_puts_to_deterministic_uuid5_ids(bundles):
    for bundle in bundles:
        assert bundle["resourceType"] == "Bundle"
        assert bundle["type"] == "transaction"
        ids = [entry["resource"]["id"] for entry in bundle["entry"]]
        assert len(set(ids)) == len(ids)
        for entry in bundle["entry"]:
            resource = entry["resource"]
            assert uuid.UUID(resource["id"]).version == 5
            assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
            assert entry["request"] == {
                "method": "PUT",
                "url": f"{resource['resourceType']}/{resource['id']}",
            }


def test_every_reference_points_at_an_entry_of_the_same_bundle(bundles, large_record):
    for bundle in [*bundles, large_record]:
        full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
        for resource in resources(bundle):
            for ref in references_in(resource):
                assert ref.startswith("urn:uuid:"), (resource["resourceType"], ref)
                assert ref in full_urls, (resource["resourceType"], ref)


def test_the_patient_comes_first_with_the_clinics_mrn(patients, bundles):
    spec = patients[3]
    patient = resources(bundles[3])[0]
    assert patient["resourceType"] == "Patient"
    assert patient["identifier"] == [
        {
            "use": "usual",
            "type": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                        "code": "MR",
                        "display": "Medical record number",
                    }
                ]
            },
            "system": MRN_SYSTEM,
            "value": "RFC-20004",
        }
    ]
    assert patient["name"] == [
        {"use": "official", "family": spec.family_name, "given": [spec.given_name]}
    ]
    assert patient["gender"] == spec.sex
    assert patient["birthDate"] == spec.birth_date.isoformat()
    assert patient["telecom"] == [
        {"system": "phone", "value": spec.phone, "use": "mobile"},
        {"system": "email", "value": spec.email},
    ]
    assert patient["address"][0]["line"] == [spec.address_line]
    assert patient["communication"][0]["language"]["coding"][0]["code"] == "es"


def test_the_clinics_practitioners_and_organization_are_shared_by_every_bundle(bundles):
    shared = [sorted((r["resourceType"], r["id"]) for r in resources(b)[1:5]) for b in bundles]
    assert all(ids == shared[0] for ids in shared)
    assert [kind for kind, _ in shared[0]] == ["Organization", *["Practitioner"] * 3]
    practitioners = resources(bundles[0], "Practitioner")
    assert sorted(p["name"][0]["family"] for p in practitioners) == ["Chen", "Lindgren", "Okafor"]
    identifiers = {p["name"][0]["family"]: p.get("identifier") for p in practitioners}
    assert identifiers == {
        "Chen": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}],
        "Okafor": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": "1245319599"}],
        "Lindgren": None,
    }
    [organization] = resources(bundles[0], "Organization")
    assert organization["name"] == "Riverside Family Clinic"


def test_ids_of_the_patient_and_clinic_do_not_depend_on_the_day(patients, bundles):
    later = build(patients[3], today=TODAY + datetime.timedelta(days=1))
    first_ids = sorted(r["id"] for r in resources(bundles[3])[:5])
    assert sorted(r["id"] for r in resources(later)[:5]) == first_ids


def test_every_resource_has_its_status_fields(bundles, large_record):
    for bundle in [*bundles, large_record]:
        for resource in resources(bundle):
            kind = resource["resourceType"]
            if kind in STATUS_FIELDS:
                field, allowed = STATUS_FIELDS[kind]
                assert resource[field] in allowed, (kind, resource[field])
            if kind in ("Condition", "AllergyIntolerance"):
                assert resource["clinicalStatus"]["coding"][0]["code"] in {"active", "resolved"}
                assert resource["verificationStatus"]["coding"][0]["code"] == "confirmed"


def test_a_chosen_adult_has_exactly_these_resources(patients, bundles):
    # A 43-year-old man with type 2 diabetes and obesity, and two allergies.
    assert patients[9].age(TODAY) == 43
    assert type_counts(bundles[9]) == {
        "AllergyIntolerance": 2,
        "Appointment": 6,
        "CarePlan": 3,
        "CareTeam": 1,
        "Condition": 7,
        "DiagnosticReport": 38,
        "DocumentReference": 32,
        "Encounter": 16,
        "Goal": 2,
        "Immunization": 6,
        "MedicationRequest": 4,
        "Observation": 364,
        "Organization": 1,
        "Patient": 1,
        "Practitioner": 3,
        "Procedure": 2,
        "ServiceRequest": 38,
    }


def test_a_chosen_child_has_exactly_these_resources(patients, bundles):
    # An 11-year-old girl seen since birth.
    assert patients[0].age(TODAY) == 11
    assert type_counts(bundles[0]) == {
        "AllergyIntolerance": 2,
        "Appointment": 6,
        "CareTeam": 1,
        "Condition": 11,
        "DiagnosticReport": 1,
        "DocumentReference": 44,
        "Encounter": 22,
        "Immunization": 39,
        "MedicationRequest": 2,
        "Observation": 168,
        "Organization": 1,
        "Patient": 1,
        "Practitioner": 3,
        "Procedure": 6,
        "ServiceRequest": 1,
    }


def test_nothing_is_dated_after_today_but_the_appointments_to_come(bundles):
    for bundle in bundles:
        for resource in resources(bundle):
            if resource["resourceType"] == "Appointment" and resource["status"] == "booked":
                continue
            for value in dates_in(resource):
                assert datetime.date.fromisoformat(value[:10]) <= TODAY, resource["resourceType"]


def dates_in(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [d for item in value.values() for d in dates_in(item)]
    if isinstance(value, list):
        return [d for item in value for d in dates_in(item)]
    is_date = isinstance(value, str) and len(value) >= 10 and value[4] == "-" == value[7]
    return [value] if is_date and value[:4].isdigit() else []


def test_a_record_needs_a_practitioner(patients):
    with pytest.raises(ValueError, match="at least one practitioner"):
        build(patients[3], practitioners=[])


def test_the_large_record_holds_exactly_ten_thousand_observations(large_record):
    counts = type_counts(large_record)
    assert counts["Observation"] == 10_000
    assert counts["Patient"] == 1
    assert resources(large_record)[0]["resourceType"] == "Patient"
    assert counts["Encounter"] == 159
    assert counts["DiagnosticReport"] == 537


def test_the_large_record_spans_twenty_years(large_record):
    days = sorted(r["effectiveDateTime"][:10] for r in resources(large_record, "Observation"))
    first, last = datetime.date.fromisoformat(days[0]), datetime.date.fromisoformat(days[-1])
    assert (last - first).days >= 19 * 365
    assert last < TODAY


@pytest.mark.parametrize("observations", [0, 25, 1234])
def test_the_large_record_has_exactly_the_observations_asked_for(observations):
    bundle = generate_large_record(mrn_system=MRN_SYSTEM, today=TODAY, observations=observations)
    assert type_counts(bundle).get("Observation", 0) == observations


def test_the_large_record_is_deterministic_and_quick():
    # Processor time, not wall time: other work on a shared machine does not count.
    started = time.process_time()
    first = generate_large_record(mrn_system=MRN_SYSTEM, today=TODAY)
    elapsed = time.process_time() - started
    again = generate_large_record(mrn_system=MRN_SYSTEM, today=TODAY)
    assert json.dumps(first) == json.dumps(again)
    other = generate_large_record(mrn_system=MRN_SYSTEM, today=TODAY, seed=11)
    assert json.dumps(other) != json.dumps(first)
    assert elapsed < 5
