"""`Patient/<id>/$everything`: the patient's whole visible record in pages, the shared resources
it points at alongside, audited once, in a bounded number of queries."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carebridge.audit.models import AuditEvent
from carebridge.fhir.tests.api import BASE, api_id, get, get_json, patient_token, row_of
from carebridge.testing.personas import Cast
from carebridge.testing.us_core_record import UsCoreRecord, build_us_core_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(cast: Cast) -> UsCoreRecord:
    return build_us_core_record(cast.patient)


@pytest.fixture
def token(cast: Cast, record: UsCoreRecord) -> str:
    return patient_token(cast.patient_user, cast.patient)


def matches(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (e["resource"]["resourceType"], e["resource"]["id"])
        for e in bundle.get("entry", [])
        if e["search"]["mode"] == "match"
    ]


def included(bundle: dict[str, Any]) -> list[str]:
    return sorted(
        e["resource"]["resourceType"]
        for e in bundle.get("entry", [])
        if e["search"]["mode"] == "include"
    )


def test_everything_is_the_patient_then_the_record_by_type(
    cast: Cast, record: UsCoreRecord, token: str
) -> None:
    bundle = get_json(token, f"Patient/{cast.patient.pk}/$everything")
    own = sorted(record.own.values(), key=lambda resource: resource["resourceType"])
    assert bundle["type"] == "searchset"
    assert bundle["total"] == 1 + len(own) == 13
    assert matches(bundle) == [
        ("Patient", str(cast.patient.pk)),
        *[(resource["resourceType"], api_id(row_of(resource))) for resource in own],
    ]
    # The shared resources the record points at (the Endpoint only through the role).
    assert included(bundle) == [
        "Endpoint", "Location", "Medication", "Organization", "Practitioner", "PractitionerRole"
    ]  # fmt: skip
    assert bundle["link"] == [
        {"relation": "self", "url": f"{BASE}/Patient/{cast.patient.pk}/$everything?_count=50"}
    ]


def test_everything_comes_in_pages(cast: Cast, record: UsCoreRecord, token: str) -> None:
    first = get_json(token, f"Patient/{cast.patient.pk}/$everything?_count=5")
    path = f"{BASE}/Patient/{cast.patient.pk}/$everything"
    assert first["link"][1] == {"relation": "next", "url": f"{path}?_count=5&_offset=5"}
    seen = matches(first)
    following = first["link"][1]["url"].removeprefix(f"{BASE}/")
    while following:
        page = get_json(token, following)
        seen += matches(page)
        nexts = [link["url"] for link in page["link"] if link["relation"] == "next"]
        following = nexts[0].removeprefix(f"{BASE}/") if nexts else ""
    everything = matches(get_json(token, f"Patient/{cast.patient.pk}/$everything"))
    assert seen == everything
    assert len(seen) == 13


def test_everything_follows_the_tokens_types(cast: Cast, record: UsCoreRecord) -> None:
    narrow = patient_token(
        cast.patient_user, cast.patient, scope="patient/Goal.rs patient/Practitioner.rs"
    )
    bundle = get_json(narrow, f"Patient/{cast.patient.pk}/$everything")
    assert matches(bundle) == [("Goal", api_id(row_of(record.own["Goal"])))]
    assert included(bundle) == []
    plans = patient_token(
        cast.patient_user, cast.patient, scope="patient/CarePlan.rs patient/Practitioner.rs"
    )
    assert included(get_json(plans, f"Patient/{cast.patient.pk}/$everything")) == []
    requests = patient_token(
        cast.patient_user, cast.patient, scope="patient/MedicationRequest.rs patient/Medication.r"
    )
    bundle = get_json(requests, f"Patient/{cast.patient.pk}/$everything")
    assert (len(matches(bundle)), included(bundle)) == (1, ["Medication"])


def test_another_patients_everything_is_a_404_and_changes_nothing(
    cast: Cast, record: UsCoreRecord, token: str
) -> None:
    before = AuditEvent.objects.count()
    body = get_json(token, f"Patient/{cast.second_patient.pk}/$everything", 404)
    assert body["issue"][0]["diagnostics"] == "There is no Patient with this id."
    assert AuditEvent.objects.count() == before
    assert get(None, f"Patient/{cast.patient.pk}/$everything").status_code == 401
    assert AuditEvent.objects.count() == before


def test_everything_is_audited_once_as_the_app(
    cast: Cast, record: UsCoreRecord, token: str
) -> None:
    before = AuditEvent.objects.count()
    get_json(token, f"Patient/{cast.patient.pk}/$everything")
    events = list(AuditEvent.objects.order_by("-sequence")[: AuditEvent.objects.count() - before])
    link = cast.patient_user.app_connections.get()
    assert [
        (e.actor, e.patient, e.action, e.acting_as, e.object_type, e.object_id) for e in events
    ] == [(cast.patient_user, cast.patient, "view", "app", "api_read", str(link.pk))]


def test_a_bad_count_is_a_400(cast: Cast, record: UsCoreRecord, token: str) -> None:
    body = get_json(token, f"Patient/{cast.patient.pk}/$everything?_count=many", 400)
    assert body["issue"][0]["diagnostics"] == ("_count: expected a whole number from 0 to 1000000.")


def test_everything_costs_the_same_for_a_bigger_record(
    cast: Cast, record: UsCoreRecord, token: str, django_assert_max_num_queries: Any
) -> None:
    path = f"Patient/{cast.patient.pk}/$everything?_count=200"
    with django_assert_max_num_queries(100) as small:
        get_json(token, path)
    build_us_core_record(cast.patient)
    build_us_core_record(cast.patient)
    with django_assert_max_num_queries(100) as bigger:
        assert get_json(token, path)["total"] == 37
    assert len(bigger.captured_queries) <= len(small.captured_queries)
    assert len(small.captured_queries) <= 20


def test_a_caregiver_sees_only_the_parts_of_the_record_they_were_given(cast: Cast) -> None:
    teen = cast.proxies.teen
    record = build_us_core_record(teen)
    parent = patient_token(cast.proxies.parent_of_teen, teen, acting_as="proxy")
    bundle = get_json(parent, f"Patient/{teen.pk}/$everything")
    # A teenager's parent sees her allergies and immunizations, none of which are here: no
    # care plans, devices or coverage, and so none of the practitioners they point at.
    assert matches(bundle) == [("Patient", str(teen.pk))]
    assert included(bundle) == []
    assert get_json(parent, f"CarePlan?patient={teen.pk}")["total"] == 0
    assert get_json(parent, "Practitioner")["total"] == 0
    chen = api_id(row_of(record.shared["Practitioner"]))
    get_json(parent, f"Practitioner/{chen}", 404)
    # The teen herself sees them all.
    assert teen.user is not None
    own = patient_token(teen.user, teen)
    assert len(matches(get_json(own, f"Patient/{teen.pk}/$everything"))) == 13
    assert get_json(own, "Practitioner")["total"] == 1


def test_the_capability_statement_names_the_operation(cast: Cast) -> None:
    statement = json.loads(get(None, "metadata").content)
    patient = next(r for r in statement["rest"][0]["resource"] if r["type"] == "Patient")
    assert patient["operation"] == [
        {
            "name": "everything",
            "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
        }
    ]


def test_a_caregiver_of_the_whole_record_sees_no_provenance(cast: Cast) -> None:
    """Provenance may be about an item labelled sensitive, which caregivers never see (and
    is in no part of the record a grant names)."""
    record = build_us_core_record(cast.patient)
    cora = patient_token(cast.proxies.full_caregiver, cast.patient, acting_as="proxy")
    provenance = api_id(row_of(record.own["Provenance"]))
    get_json(cora, f"Provenance/{provenance}", 404)
    assert get_json(cora, f"Provenance?_id={provenance}")["total"] == 0
    plans = get_json(cora, f"CarePlan?patient={cast.patient.pk}&_revinclude=Provenance:target")
    assert [e["search"]["mode"] for e in plans["entry"]] == ["match"]
    # A caregiver's grant names parts of the record: the types in none of them (devices,
    # coverage, provenance, questionnaire answers, related people, orders) stay out.
    everything = matches(get_json(cora, f"Patient/{cast.patient.pk}/$everything"))
    assert [kind for kind, _id in everything] == [
        "Patient", "CarePlan", "CareTeam", "Goal", "MedicationDispense", "MedicationRequest",
        "Specimen",
    ]  # fmt: skip
