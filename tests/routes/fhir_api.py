"""Authorisation-matrix rows for the FHIR API (`/fhir/`), which the matrix test collects.

The matrix signs in with browser sessions, and the API accepts bearer tokens only: every API
address that reads the record is a 401 for everyone, signed in or not (the API's own tests,
`carebridge/fhir/tests/test_api_*.py`, cover tokens and scopes). The CapabilityStatement needs
no token. Anything else under /fhir/ is a 404, and anything but GET a 405, for everyone.
"""

from __future__ import annotations

from carebridge.records.exports.bundle_links import entry_uuid
from carebridge.testing.matrix import OK, UNAUTHORISED, Expect, Route, url
from carebridge.testing.personas import PERSONAS, Cast

EVERYONE_401 = dict.fromkeys(PERSONAS, UNAUTHORISED)
EVERYONE_OK = dict.fromkeys(PERSONAS, OK)
EVERYONE_404 = dict.fromkeys(PERSONAS, Expect(404))
EVERYONE_405 = dict.fromkeys(PERSONAS, Expect(405))


def _pats_result(cast: Cast) -> str:
    assert cast.record is not None
    row = cast.record.hba1c
    return f"/fhir/Observation/{entry_uuid(row.clinic_id, (row.resource_type, row.fhir_id))}"


ROUTES: list[Route] = [
    Route("fhir:metadata", url("fhir:metadata"), EVERYONE_OK),
    Route("fhir:search", url("fhir:search", "Observation"), EVERYONE_401),
    Route("fhir:search", url("fhir:search", "Patient"), EVERYONE_401, data={"name": "pat"}),
    Route("fhir:search", url("fhir:search", "Observation"), EVERYONE_405, method="post"),
    Route("fhir:read", lambda cast: f"/fhir/Patient/{cast.patient.pk}", EVERYONE_401),
    Route("fhir:read", _pats_result, EVERYONE_401),
    Route("fhir:not_found", url("fhir:not_found", "Observation/x/_history"), EVERYONE_404),
]
