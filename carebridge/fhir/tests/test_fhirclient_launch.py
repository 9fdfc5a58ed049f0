"""A real SMART on FHIR client against the running portal: the `fhirclient` package finds the
OAuth addresses in `/fhir/metadata`, sends the patient to authorize (PKCE with S256), the patient
allows it on the consent page, the client exchanges the code for a token at the token endpoint and
reads the record of a Synthea patient, searching every US Core type and reading each resource back.
Skipped, with its reason, where the shared reference data is absent.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from fhirclient import client as fhir_client
from fhirclient.models.bundle import Bundle
from fhirclient.models.patient import Patient as FhirPatient
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from carebridge.patients.models import Patient
from carebridge.records.importing.pipeline import import_files
from carebridge.records.importing.readers import find_files
from carebridge.testing import factories
from carebridge.testing.fhir import REDIRECT_URI, register_app
from carebridge.testing.shared_data import synthea_or_skip

BRAIN = "Brain_Erdman_ae4b94e4-cfbb-4091-828d-8ddc1c32bb6b.json.gz"
SHARED = (
    "hospitalInformation1559319163815.json.gz",
    "practitionerInformation1559319163815.json.gz",
)
SCOPE = "launch/patient openid fhirUser offline_access patient/*.rs"
# Every US Core type issue 17 names; Brain's record holds some of them.
TYPES = (
    "AllergyIntolerance",
    "CarePlan",
    "CareTeam",
    "Condition",
    "Coverage",
    "Device",
    "DiagnosticReport",
    "DocumentReference",
    "Encounter",
    "Goal",
    "Immunization",
    "MedicationDispense",
    "MedicationRequest",
    "Observation",
    "Procedure",
    "QuestionnaireResponse",
    "RelatedPerson",
    "ServiceRequest",
    "Specimen",
)
# What his record holds of them, as the API serves it.
EXPECTED = {
    "CarePlan": 1,
    "Condition": 6,
    "DiagnosticReport": 2,
    "Encounter": 19,
    "Immunization": 3,
    "MedicationRequest": 4,
    "Observation": 88,
    "Procedure": 8,
}


def _brain() -> Patient:
    folder = synthea_or_skip()
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    import_files(clinic=clinic, files=find_files([folder / name for name in (*SHARED, BRAIN)]))
    patient = Patient.objects.get(family_name="Erdman", clinic=clinic)
    patient.user = factories.make_user(email="brain@example.org", first_name="Brain")
    patient.save(update_fields=["user"])
    return patient


def _allow_in_the_portal(patient: Patient, authorize_url: str) -> str:
    """The patient, signed in, allows every part offered; returns the redirect back to the app."""
    assert patient.user is not None
    browser = Client()
    browser.force_login(patient.user)
    parts = urlsplit(authorize_url)
    address = f"{parts.path}?{parts.query}"
    page = browser.get(address)
    assert page.status_code == 200
    offered = re.findall(r'name="parts" value="([^"]+)"', page.content.decode())
    assert offered
    answer = browser.post(address, {"parts": offered, "decision": "allow"})
    assert answer.status_code == 302
    location: str = answer["Location"]
    assert location.startswith(REDIRECT_URI + "?code=")
    return location


def _search_all(smart: Any, resource_type: str, patient_id: str) -> list[dict[str, Any]]:
    """Every entry of a search, following `next` links as the client would."""
    server = smart.server
    path: str | None = f"{resource_type}?patient={patient_id}&_count=50"
    entries: list[dict[str, Any]] = []
    while path:
        bundle = Bundle(server.request_json(path))
        entries += [entry.resource.as_json() for entry in bundle.entry or []]
        following = [link.url for link in bundle.link or [] if link.relation == "next"]
        path = following[0].split("/fhir/", 1)[1] if following else None
    return entries


# Commits (the live server runs in another thread); the serialised rollback puts back what the
# database held, as the suite's other committing tests do, so tests after it find it unchanged.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fhirclient_launches_standalone_and_reads_every_type(
    live_server: LiveServer, settings: Settings
) -> None:
    settings.CAREBRIDGE_BASE_URL = live_server.url
    brain = _brain()
    application = register_app(brain, name="Health Diary")
    smart = fhir_client.FHIRClient(
        settings={
            "app_id": application.client_id,
            "api_base": f"{live_server.url}/fhir",
            "redirect_uri": REDIRECT_URI,
            "scope": SCOPE,
        }
    )
    authorize_url = smart.authorize_url
    assert authorize_url.startswith(f"{live_server.url}/o/authorize/?")
    assert "code_challenge_method=S256" in authorize_url

    smart.handle_callback(_allow_in_the_portal(brain, authorize_url))
    assert smart.ready
    assert smart.patient_id == str(brain.pk)
    assert smart.server.auth.refresh_token

    patient = FhirPatient.read(smart.patient_id, smart.server)
    assert patient.name[0].family == "Erdman"
    counts = {}
    for resource_type in TYPES:
        entries = _search_all(smart, resource_type, smart.patient_id)
        if entries:
            counts[resource_type] = len(entries)
        # Each resource found reads back the same by its id.
        for resource in entries[:3]:
            again = smart.server.request_json(f"{resource_type}/{resource['id']}")
            assert again == resource
    assert counts == EXPECTED
