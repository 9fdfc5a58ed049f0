"""Calling the FHIR API in tests: a GET with a bearer token, and the ids the API serves."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from carebridge.fhir.models import Connection
from carebridge.records.exports.bundle_links import entry_uuid, rekey
from carebridge.records.models import ClinicalResource
from carebridge.testing.fhir import bearer, connect_app, issue_token

BASE = "http://127.0.0.1:8000/fhir"


def get(token: str | None, path: str, **headers: str) -> Any:
    """GET `/fhir/<path>` with the token (None: without one)."""
    if token is not None:
        headers |= bearer(token)
    return Client().get(f"/fhir/{path}", headers=headers)


def token_for(connection: Connection, scope: str | None = None) -> str:
    return issue_token(connection, scope=scope)


def patient_token(user: Any, patient: Any, **options: Any) -> str:
    return issue_token(connect_app(user=user, patient=patient, **options))


def api_id(row: ClinicalResource) -> str:
    return str(entry_uuid(row.clinic_id, (row.resource_type, row.fhir_id)))


def served(row: ClinicalResource) -> dict[str, Any]:
    """The resource as the API serves it (computed independently of the API's own code path:
    the shared re-keying is tested on its own)."""
    return rekey(row.resource, row.clinic_id)


def get_json(token: str, path: str, status: int = 200) -> Any:
    """GET `/fhir/<path>` with the token, check the status, and return the parsed body."""
    response = get(token, path)
    assert response.status_code == status, response.content
    return json.loads(response.content)


def row_of(resource: dict[str, Any]) -> ClinicalResource:
    """The stored row of a resource as stored (its own type and id)."""
    return ClinicalResource.objects.get(
        resource_type=resource["resourceType"], fhir_id=resource["id"]
    )
