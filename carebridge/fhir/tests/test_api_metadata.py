"""The CapabilityStatement advertises exactly the types, interactions and search parameters
the API serves."""

from __future__ import annotations

import json
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
