"""The CapabilityStatement advertises exactly the types, interactions and search parameters
the API serves."""

from __future__ import annotations

import json
import os
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from carebridge.fhir.api.types import SERVED

pytestmark = pytest.mark.django_db


def _statement() -> dict[str, Any]:
    response = Client().get("/fhir/metadata")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    body: dict[str, Any] = json.loads(response.content)
    return body


def test_the_statement_is_r4_us_core_6_1_json_only() -> None:
    body = _statement()
    assert (body["resourceType"], body["kind"], body["fhirVersion"], body["format"]) == (
        "CapabilityStatement",
        "instance",
        "4.0.1",
        ["json"],
    )
    assert body["implementationGuide"] == [
        "http://hl7.org/fhir/us/core/ImplementationGuide/hl7.fhir.us.core|6.1.0"
    ]
    assert body["instantiates"] == [
        "http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server|6.1.0"
    ]
    assert body["implementation"]["url"] == "http://127.0.0.1:8000/fhir"


def test_each_served_type_with_read_search_and_its_parameters() -> None:
    (rest,) = _statement()["rest"]
    assert rest["mode"] == "server"
    assert rest["security"]["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"
    resources = {item["type"]: item for item in rest["resource"]}
    assert list(resources) == list(SERVED)
    assert list(resources) == [
        "Patient",
        "Observation",
        "Condition",
        "AllergyIntolerance",
        "MedicationRequest",
        "Immunization",
        "Procedure",
        "Encounter",
        "DiagnosticReport",
        "DocumentReference",
        # US Core's other types (`fhir.api.us_core_types`).
        "CarePlan",
        "CareTeam",
        "Goal",
        "Device",
        "Coverage",
        "MedicationDispense",
        "Provenance",
        "QuestionnaireResponse",
        "RelatedPerson",
        "ServiceRequest",
        "Specimen",
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Location",
        "Medication",
        "Endpoint",
    ]
    for item in resources.values():
        assert item["interaction"] == [{"code": "read"}, {"code": "search-type"}]
    params = {
        name: [(param["name"], param["type"]) for param in item["searchParam"]]
        for name, item in resources.items()
    }
    assert params["Patient"] == [
        ("_id", "token"),
        ("identifier", "token"),
        ("name", "string"),
        ("birthdate", "date"),
        ("gender", "token"),
    ]
    assert params["Observation"] == [
        ("_id", "token"),
        ("_lastUpdated", "date"),
        ("patient", "reference"),
        ("category", "token"),
        ("code", "token"),
        ("date", "date"),
    ]
    assert params["MedicationRequest"][3:] == [("intent", "token"), ("status", "token")]
    observation = resources["Observation"]["searchParam"]
    assert observation[3]["definition"] == (
        "http://hl7.org/fhir/us/core/SearchParameter/us-core-observation-category"
    )


SHARED_DATA = Path(
    os.environ.get(
        "CAREBRIDGE_SHARED_DATA", Path(__file__).resolve().parents[3].parent / "shared" / "data"
    )
)
US_CORE = SHARED_DATA / "us-core" / "hl7.fhir.us.core-610.tgz"


def _us_core_search_parameters() -> dict[str, dict[str, Any]]:
    with tarfile.open(US_CORE) as archive:
        found = {}
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if name.startswith("SearchParameter-") and name.endswith(".json"):
                handle = archive.extractfile(member)
                assert handle is not None
                definition = json.load(handle)
                found[definition["url"]] = definition
        return found


@pytest.mark.skipif(not US_CORE.exists(), reason="../shared/data (US Core 6.1) is not here")
def test_every_advertised_us_core_parameter_exists_in_us_core_with_its_type() -> None:
    definitions = _us_core_search_parameters()
    (rest,) = _statement()["rest"]
    checked = 0
    for resource in rest["resource"]:
        for param in resource["searchParam"]:
            if param["definition"].startswith("http://hl7.org/fhir/SearchParameter/"):
                continue
            definition = definitions[param["definition"]]
            assert (definition["code"], definition["type"]) == (param["name"], param["type"])
            assert resource["type"] in definition["base"]
            checked += 1
    # 30 of the core types, 29 of US Core's other types (`fhir.api.us_core_types`).
    assert checked == 59
