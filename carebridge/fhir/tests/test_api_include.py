"""`_include` and `_revinclude=Provenance:target`: what comes along with a page of results."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carebridge.fhir.tests.api import BASE, api_id, get, patient_token, row_of, served
from carebridge.testing.personas import Cast
from carebridge.testing.us_core_record import UsCoreRecord, build_us_core_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(cast: Cast) -> UsCoreRecord:
    return build_us_core_record(cast.patient)


@pytest.fixture
def token(cast: Cast, record: UsCoreRecord) -> str:
    return patient_token(cast.patient_user, cast.patient)


def entries(token: str, path: str) -> list[tuple[str, str, str]]:
    response = get(token, path)
    assert response.status_code == 200, response.content
    return [
        (e["search"]["mode"], e["resource"]["resourceType"], e["resource"].get("id", ""))
        for e in json.loads(response.content).get("entry", [])
    ]


def test_a_medication_request_brings_its_medication(
    cast: Cast, record: UsCoreRecord, token: str
) -> None:
    request = row_of(record.own["MedicationRequest"])
    medication = row_of(record.shared["Medication"])
    path = f"MedicationRequest?patient={cast.patient.pk}&intent=order"
    bundle = json.loads(get(token, f"{path}&_include=MedicationRequest:medication").content)
    assert bundle["total"] == 1
    assert bundle["entry"][1] == {
        "fullUrl": f"{BASE}/Medication/{api_id(medication)}",
        "resource": served(medication),
        "search": {"mode": "include"},
    }
    assert [e["search"]["mode"] for e in bundle["entry"]] == ["match", "include"]
    assert bundle["entry"][0]["resource"]["id"] == api_id(request)
    assert bundle["link"][0]["url"] == (
        f"{BASE}/MedicationRequest?patient={cast.patient.pk}&intent=order"
        "&_include=MedicationRequest%3Amedication&_count=50"
    )
    assert entries(token, path) == [("match", "MedicationRequest", api_id(request))]


def test_a_dispense_brings_its_medication(cast: Cast, record: UsCoreRecord, token: str) -> None:
    path = f"MedicationDispense?patient={cast.patient.pk}&_include=MedicationDispense:medication"
    assert entries(token, path) == [
        ("match", "MedicationDispense", api_id(row_of(record.own["MedicationDispense"]))),
        ("include", "Medication", api_id(row_of(record.shared["Medication"]))),
    ]


def test_a_practitioner_role_brings_its_practitioner_and_endpoint(
    record: UsCoreRecord, token: str
) -> None:
    path = (
        "PractitionerRole?specialty=207Q00000X&_include=PractitionerRole:practitioner"
        "&_include=PractitionerRole:endpoint"
    )
    assert entries(token, path) == [
        ("match", "PractitionerRole", api_id(row_of(record.shared["PractitionerRole"]))),
        ("include", "Practitioner", api_id(row_of(record.shared["Practitioner"]))),
        ("include", "Endpoint", api_id(row_of(record.shared["Endpoint"]))),
    ]


def test_a_care_team_brings_its_members(cast: Cast, record: UsCoreRecord, token: str) -> None:
    path = f"CareTeam?patient={cast.patient.pk}&status=active"
    wanted = "&_include=CareTeam:participant:PractitionerRole"
    assert entries(token, path + wanted) == [
        ("match", "CareTeam", api_id(row_of(record.own["CareTeam"]))),
        ("include", "PractitionerRole", api_id(row_of(record.shared["PractitionerRole"]))),
    ]
    # Nobody of that type in the team: nothing comes along.
    assert entries(token, path + "&_include=CareTeam:participant:RelatedPerson") == [
        ("match", "CareTeam", api_id(row_of(record.own["CareTeam"]))),
    ]


def test_provenance_comes_with_what_it_is_about(
    cast: Cast, record: UsCoreRecord, token: str
) -> None:
    plan = api_id(row_of(record.own["CarePlan"]))
    provenance = api_id(row_of(record.own["Provenance"]))
    path = f"CarePlan?patient={cast.patient.pk}&category=assess-plan"
    assert entries(token, f"{path}&_revinclude=Provenance:target") == [
        ("match", "CarePlan", plan),
        ("include", "Provenance", provenance),
    ]
    # Goals have no provenance here.
    goal = api_id(row_of(record.own["Goal"]))
    assert entries(token, f"Goal?patient={cast.patient.pk}&_revinclude=Provenance:target") == [
        ("match", "Goal", goal)
    ]


def test_what_the_token_may_not_read_does_not_come_along(cast: Cast, record: UsCoreRecord) -> None:
    narrow = patient_token(cast.patient_user, cast.patient, scope="patient/MedicationRequest.rs")
    path = f"MedicationRequest?patient={cast.patient.pk}&_include=MedicationRequest:medication"
    assert entries(narrow, path) == [
        ("match", "MedicationRequest", api_id(row_of(record.own["MedicationRequest"])))
    ]
    plans = patient_token(cast.patient_user, cast.patient, scope="patient/CarePlan.rs")
    path = f"CarePlan?patient={cast.patient.pk}&_revinclude=Provenance:target"
    assert entries(plans, path) == [("match", "CarePlan", api_id(row_of(record.own["CarePlan"])))]


def test_an_include_the_type_does_not_answer_is_ignored_and_said_so(
    cast: Cast, record: UsCoreRecord, token: str
) -> None:
    path = f"Goal?patient={cast.patient.pk}&_include=Goal:subject"
    bundle = json.loads(get(token, path).content)
    assert bundle["entry"][-1] == {
        "resource": {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "warning",
                    "code": "not-supported",
                    "diagnostics": (
                        "_include: this search parameter is not supported and was ignored."
                    ),
                    "expression": ["_include"],
                }
            ],
        },
        "search": {"mode": "outcome"},
    }
    strict = get(token, path, Prefer="handling=strict")
    assert strict.status_code == 400


def test_includes_cost_one_query_each(
    cast: Cast, record: UsCoreRecord, token: str, django_assert_max_num_queries: Any
) -> None:
    path = f"MedicationRequest?patient={cast.patient.pk}"
    with django_assert_max_num_queries(50) as plain:
        get(token, path)
    with django_assert_max_num_queries(50) as included:
        get(token, f"{path}&_include=MedicationRequest:medication&_revinclude=Provenance:target")

    def record_reads(queries: Any) -> int:
        return sum('FROM "records_clinicalresource"' in q["sql"] for q in queries)

    assert record_reads(included.captured_queries) == record_reads(plain.captured_queries) + 2
