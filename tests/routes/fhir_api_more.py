"""Authorisation-matrix rows for the FHIR API's `Patient/<id>/$everything` and US Core's other
types (read and search of the patient's own and of the clinic's shared resources).

As for the rest of the API (`fhir_api.py`): browser sessions carry no bearer token, so every
address that reads the record is a 401 for everyone, signed in or not; tokens and scopes are
covered by `carebridge/fhir/tests/test_api_everything.py`, `test_api_more_types.py` and
`test_api_include.py`.
"""

from __future__ import annotations

from carebridge.testing.matrix import Expect, Route, url
from carebridge.testing.personas import PERSONAS, Cast
from tests.routes.fhir_api import EVERYONE_401

EVERYONE_405 = dict.fromkeys(PERSONAS, Expect(405))


def _everything(cast: Cast) -> str:
    return f"/fhir/Patient/{cast.patient.pk}/$everything"


ROUTES: list[Route] = [
    Route("fhir:everything", _everything, EVERYONE_401),
    Route("fhir:everything", _everything, EVERYONE_401, data={"_count": "5"}),
    Route("fhir:everything", _everything, EVERYONE_405, method="post"),
    Route(
        "fhir:everything",
        lambda cast: f"/fhir/Patient/{cast.second_patient.pk}/$everything",
        EVERYONE_401,
    ),
    Route("fhir:search", url("fhir:search", "CarePlan"), EVERYONE_401),
    Route("fhir:search", url("fhir:search", "Practitioner"), EVERYONE_401, data={"name": "chen"}),
    Route(
        "fhir:search",
        url("fhir:search", "MedicationRequest"),
        EVERYONE_401,
        data={"_include": "MedicationRequest:medication"},
    ),
    Route("fhir:read", url("fhir:read", "Practitioner", "dr-chen"), EVERYONE_401),
]
