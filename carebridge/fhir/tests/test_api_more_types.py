"""US Core's other types through the API: each read and searched by its SHALL parameters, the
clinic's shared resources only where the patient's record points at them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carebridge.fhir.tests.api import BASE, api_id, get, get_json, patient_token, row_of, served
from carebridge.testing.personas import Cast
from carebridge.testing.us_core_record import UsCoreRecord, build_us_core_record

pytestmark = pytest.mark.django_db

OWN_TYPES = [
    "CarePlan", "CareTeam", "Goal", "Device", "Coverage", "MedicationDispense", "Provenance",
    "QuestionnaireResponse", "RelatedPerson", "ServiceRequest", "Specimen",
]  # fmt: skip
SHARED_TYPES = ["Practitioner", "PractitionerRole", "Organization", "Location", "Medication"]


@pytest.fixture
def record(cast: Cast) -> UsCoreRecord:
    return build_us_core_record(cast.patient)


@pytest.fixture
def token(cast: Cast, record: UsCoreRecord) -> str:
    return patient_token(cast.patient_user, cast.patient)


def match_ids(bundle: dict[str, Any]) -> list[str]:
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


@pytest.mark.parametrize("resource_type", [*OWN_TYPES, *SHARED_TYPES, "MedicationRequest"])
def test_each_type_is_read_as_stored_with_its_ids_rekeyed(
    record: UsCoreRecord, token: str, resource_type: str
) -> None:
    row = row_of({**record.own, **record.shared}[resource_type])
    assert get_json(token, f"{resource_type}/{api_id(row)}") == served(row)


@pytest.mark.parametrize("resource_type", [t for t in OWN_TYPES if t != "Provenance"])
def test_each_of_the_patients_types_is_searched_by_patient(
    cast: Cast, record: UsCoreRecord, token: str, resource_type: str
) -> None:
    row = row_of(record.own[resource_type])
    bundle = get_json(token, f"{resource_type}?patient=Patient/{cast.patient.pk}")
    assert (bundle["total"], match_ids(bundle)) == (1, [api_id(row)])
    other = get_json(token, f"{resource_type}?patient={cast.second_patient.pk}")
    assert (other["total"], match_ids(other)) == (0, [])


@pytest.mark.parametrize(
    ("resource_type", "query", "found"),
    [
        ("CarePlan", "category=assess-plan", True),
        ("CarePlan", "category=http://hl7.org/fhir/us/core/CodeSystem/careplan-category|", False),
        ("CarePlan", "category=other", False),
        ("CareTeam", "status=active", True),
        ("CareTeam", "status=inactive", False),
        ("ServiceRequest", "category=108252007", True),
        ("ServiceRequest", "code=http://loinc.org|2345-7", True),
        ("ServiceRequest", "code=http://snomed.info/sct|2345-7", False),
        ("ServiceRequest", "authored=2024-03-01", True),
        ("ServiceRequest", "authored=ge2024-03-02", False),
        ("ServiceRequest", "authored=lt2024-03-02", True),
        ("ServiceRequest", "authored=gt2024-03-01", False),
    ],
)
def test_the_shall_parameters_of_the_patients_types(
    cast: Cast, record: UsCoreRecord, token: str, resource_type: str, query: str, found: bool
) -> None:
    response = get(token, f"{resource_type}?patient={cast.patient.pk}&{query}")
    if query.endswith("|"):
        assert response.status_code == 400
        return
    bundle = json.loads(response.content)
    expected = [api_id(row_of(record.own[resource_type]))] if found else []
    assert match_ids(bundle) == expected


@pytest.mark.parametrize(
    "resource_type", ["QuestionnaireResponse", "RelatedPerson", "ServiceRequest", "Specimen"]
)
def test_types_searched_by_id(record: UsCoreRecord, token: str, resource_type: str) -> None:
    wanted = api_id(row_of(record.own[resource_type]))
    assert match_ids(get_json(token, f"{resource_type}?_id={wanted}")) == [wanted]
    assert match_ids(get_json(token, f"{resource_type}?_id=not-an-id")) == []


def test_provenance_is_read_and_found_by_id_only(record: UsCoreRecord, token: str) -> None:
    wanted = api_id(row_of(record.own["Provenance"]))
    assert match_ids(get_json(token, f"Provenance?_id={wanted}")) == [wanted]
    # FHIR R4 gives Provenance no `patient` parameter: it is ignored, and said so.
    ignored = get_json(token, "Provenance?patient=x")
    assert match_ids(ignored) == [wanted]
    assert ignored["entry"][1]["search"] == {"mode": "outcome"}


@pytest.mark.parametrize("resource_type", SHARED_TYPES)
def test_a_shared_resource_the_record_points_at_is_found(
    record: UsCoreRecord, token: str, resource_type: str
) -> None:
    row = row_of(record.shared[resource_type])
    bundle = get_json(token, resource_type)
    assert (bundle["total"], match_ids(bundle)) == (1, [api_id(row)])
    assert bundle["entry"][0]["fullUrl"] == f"{BASE}/{resource_type}/{api_id(row)}"


def test_a_shared_resource_the_record_does_not_point_at_reads_as_missing(
    cast: Cast, record: UsCoreRecord, token: str
) -> None:
    nobody = api_id(row_of(record.unlinked_practitioner))
    assert get_json(token, f"Practitioner/{nobody}", 404)["issue"][0]["diagnostics"] == (
        "There is no Practitioner with this id."
    )
    assert match_ids(get_json(token, "Practitioner?name=Nobody")) == []
    # Another patient's token finds none of Pat's practitioners.
    sam = patient_token(cast.second_patient_user, cast.second_patient)
    chen = api_id(row_of(record.shared["Practitioner"]))
    get_json(sam, f"Practitioner/{chen}", 404)
    assert get_json(sam, "Practitioner")["total"] == 0


@pytest.mark.parametrize(
    ("resource_type", "query", "found"),
    [
        ("Practitioner", "name=chen", True),
        ("Practitioner", "name=maya", True),
        ("Practitioner", "name=smith", False),
        ("Practitioner", "identifier=http://hl7.org/fhir/sid/us-npi|1234567893", True),
        ("Practitioner", "identifier=1234567893", True),
        ("Practitioner", "identifier=http://other|1234567893", False),
        ("Organization", "name=riverside", True),
        ("Organization", "name=hilltop", False),
        ("Organization", "address=springfield", True),
        ("Organization", "address=1 river", True),
        ("Organization", "address=boston", False),
        ("Location", "name=Riverside Cl", True),
        ("Location", "address=MA", True),
        ("Location", "address=NY", False),
        ("PractitionerRole", "specialty=207Q00000X", True),
        ("PractitionerRole", "specialty=http://nucc.org/provider-taxonomy|207Q00000X", True),
        ("PractitionerRole", "specialty=208D00000X", False),
    ],
)
def test_the_shall_parameters_of_the_shared_types(
    record: UsCoreRecord, token: str, resource_type: str, query: str, found: bool
) -> None:
    expected = [api_id(row_of(record.shared[resource_type]))] if found else []
    assert match_ids(get_json(token, f"{resource_type}?{query}")) == expected


def test_practitioner_roles_are_found_by_their_practitioner(
    record: UsCoreRecord, token: str
) -> None:
    chen = api_id(row_of(record.shared["Practitioner"]))
    role = api_id(row_of(record.shared["PractitionerRole"]))
    assert match_ids(get_json(token, f"PractitionerRole?practitioner=Practitioner/{chen}")) == [
        role
    ]
    assert match_ids(get_json(token, f"PractitionerRole?practitioner={chen}")) == [role]
    assert match_ids(get_json(token, f"PractitionerRole?practitioner={role}")) == []


def test_a_token_without_the_type_gets_403_for_shared_types(
    cast: Cast, record: UsCoreRecord
) -> None:
    narrow = patient_token(cast.patient_user, cast.patient, scope="patient/Observation.rs")
    chen = api_id(row_of(record.shared["Practitioner"]))
    assert get_json(narrow, f"Practitioner/{chen}", 403)["issue"][0]["code"] == "forbidden"
    assert get_json(narrow, "Practitioner?name=chen", 403)["issue"][0]["code"] == "forbidden"


def test_a_shared_search_costs_a_bounded_number_of_queries(
    record: UsCoreRecord, token: str, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(14):
        assert get_json(token, "Organization?name=riverside")["total"] == 1


def test_a_shared_resource_is_seen_through_what_the_token_may_read(
    cast: Cast, record: UsCoreRecord
) -> None:
    chen = api_id(row_of(record.shared["Practitioner"]))
    alone = patient_token(cast.patient_user, cast.patient, scope="patient/Practitioner.rs")
    assert get_json(alone, "Practitioner")["total"] == 0
    get_json(alone, f"Practitioner/{chen}", 404)
    # Her medication order names Dr Chen as its requester.
    orders = patient_token(
        cast.patient_user,
        cast.patient,
        scope="patient/MedicationRequest.rs patient/Practitioner.rs",
    )
    assert match_ids(get_json(orders, "Practitioner")) == [chen]
    assert get_json(orders, f"Practitioner/{chen}")["id"] == chen


def test_a_shared_resource_named_directly_is_read_in_two_record_queries(
    record: UsCoreRecord, token: str, django_assert_max_num_queries: Any
) -> None:
    chen = api_id(row_of(record.shared["Practitioner"]))
    with django_assert_max_num_queries(30) as direct:
        assert get_json(token, f"Practitioner/{chen}")["id"] == chen
    record_queries = [
        q["sql"] for q in direct.captured_queries if "records_clinicalresource" in q["sql"]
    ]
    assert len(record_queries) == 2
    # The Location is named only by the PractitionerRole: its links are followed.
    place = api_id(row_of(record.shared["Location"]))
    with django_assert_max_num_queries(30) as linked:
        assert get_json(token, f"Location/{place}")["id"] == place
    assert sum("records_clinicalresource" in q["sql"] for q in linked.captured_queries) > 2


def test_a_bad_value_for_a_shared_type_is_a_400_whatever_is_found(cast: Cast) -> None:
    # No shared resource is linked to Sam's empty record: the value is still checked.
    sam = patient_token(cast.second_patient_user, cast.second_patient)
    for query in ("Organization?name=", "Practitioner?name=a,", "Location?address="):
        outcome = get_json(sam, query, 400)
        assert outcome["issue"][0]["code"] == "invalid", query
