"""Every refusal is an OperationOutcome with its status: 400, 401, 403, 404, 405, 429; never a
500, whatever the query string."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditEvent
from carebridge.fhir.models import Connection
from carebridge.fhir.tests.api import BASE, get, patient_token
from carebridge.testing.fhir import bearer, connect_app, issue_token
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _outcome(message: str, code: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": message}],
    }


def _body(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/fhir+json"
    body: dict[str, Any] = json.loads(response.content)
    return body


def test_no_token_is_a_401_with_a_bearer_challenge(cast: Cast) -> None:
    response = get(None, f"Patient/{cast.patient.pk}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == f'Bearer realm="{BASE}"'
    assert _body(response) == _outcome("This request needs an access token.", "login")


def test_a_signed_in_session_without_a_token_is_a_401(cast: Cast, patient_client: Client) -> None:
    response = patient_client.get(f"/fhir/Patient/{cast.patient.pk}")
    assert response.status_code == 401


@pytest.mark.parametrize("how", ["expired", "revoked token", "disconnected", "unknown"])
def test_expired_revoked_and_unknown_tokens_are_a_401_and_audit_nothing(
    cast: Cast, how: str
) -> None:
    connection = connect_app(user=cast.patient_user, patient=cast.patient)
    lifetime = datetime.timedelta(seconds=-1 if how == "expired" else 3600)
    token = issue_token(connection, expires_in=lifetime)
    if how == "revoked token":
        connection.tokens.get().access_token.revoke()
    if how == "disconnected":
        Connection.objects.filter(pk=connection.pk).update(revoked_at=timezone.now())
    before = AuditEvent.objects.count()
    response = get("nonsense" if how == "unknown" else token, f"Patient/{cast.patient.pk}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == f'Bearer realm="{BASE}", error="invalid_token"'
    assert _body(response) == _outcome("The access token is not valid or has expired.", "login")
    assert AuditEvent.objects.count() == before
    assert Connection.objects.get(pk=connection.pk).last_read_at is None


def test_a_type_the_token_does_not_allow_is_a_403(cast: Cast) -> None:
    token = patient_token(
        cast.patient_user, cast.patient, scope="launch/patient patient/Observation.rs"
    )
    for path in ("Condition", "Condition?patient=x", f"Patient/{cast.patient.pk}"):
        response = get(token, path)
        assert response.status_code == 403
    assert _body(get(token, "Condition")) == _outcome(
        "This app was not given access to Condition resources.", "forbidden"
    )


def test_a_read_only_token_may_not_search(cast: Cast) -> None:
    token = patient_token(cast.patient_user, cast.patient, scope="patient/Observation.r")
    assert get(token, "Observation").status_code == 403


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_a_405(cast: Cast, method: str) -> None:
    token = patient_token(cast.patient_user, cast.patient)
    response = getattr(Client(), method)("/fhir/Observation", headers=bearer(token))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert _body(response) == _outcome("This server only reads: use GET.", "not-supported")


def test_unserved_types_and_other_addresses_are_a_404(cast: Cast) -> None:
    token = patient_token(cast.patient_user, cast.patient)
    assert _body(get(token, "Basic")) == _outcome(
        "This server does not serve Basic resources.", "not-found"
    )
    response = get(token, "Observation/x/_history")
    assert response.status_code == 404
    assert _body(response) == _outcome("There is nothing at this address.", "not-found")


def test_too_many_requests_for_a_token_is_a_429(cast: Cast, settings: Any) -> None:
    settings.CAREBRIDGE_FHIR_RATE_LIMIT = (2, 60)
    token = patient_token(cast.patient_user, cast.patient)
    other = patient_token(cast.patient_user, cast.patient)
    assert [get(token, "Observation").status_code for _ in range(2)] == [200, 200]
    before = AuditEvent.objects.count()
    response = get(token, "Observation")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert _body(response) == _outcome("Too many requests: try again in a minute.", "throttled")
    assert AuditEvent.objects.count() == before
    # The limit is per token.
    assert get(other, "Observation").status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date=2024-13-01", "date: the date does not exist."),
        ("date=yesterday", "date: the date is not in the form YYYY, YYYY-MM or YYYY-MM-DD."),
        ("code=http://loinc.org|", "code: a token needs a code after the '|'."),
        ("category=", "category: the value is empty."),
        ("_count=-1", "_count: expected a whole number from 0 to 1000000."),
        ("_offset=ten", "_offset: expected a whole number from 0 to 1000000."),
    ],
)
def test_bad_values_are_a_400_naming_the_parameter(cast: Cast, query: str, message: str) -> None:
    token = patient_token(cast.patient_user, cast.patient)
    before = AuditEvent.objects.count()
    response = get(token, f"Observation?{query}")
    assert response.status_code == 400
    assert _body(response) == _outcome(message, "invalid")
    assert AuditEvent.objects.count() == before


def test_unknown_parameters_are_ignored_and_named_or_a_400_when_strict(cast: Cast) -> None:
    token = patient_token(cast.patient_user, cast.patient)
    bundle = _body(get(token, "Observation?_sort=date&flavour=mint"))
    assert bundle["total"] == 0
    assert bundle["link"] == [{"relation": "self", "url": f"{BASE}/Observation?_count=50"}]
    assert bundle["entry"] == [
        {
            "resource": {
                "resourceType": "OperationOutcome",
                "issue": [
                    {
                        "severity": "warning",
                        "code": "not-supported",
                        "diagnostics": f"{name}: this search parameter is not supported and "
                        "was ignored.",
                        "expression": [name],
                    }
                    for name in ("_sort", "flavour")
                ],
            },
            "search": {"mode": "outcome"},
        }
    ]
    strict = get(token, "Observation?flavour=mint", Prefer="handling=strict")
    assert strict.status_code == 400
    assert _body(strict) == _outcome(
        "flavour: Observation has no such search parameter.", "invalid"
    )


_TYPES = st.sampled_from(["Observation", "Condition", "Patient", "DocumentReference", "Encounter"])
_NAMES = st.sampled_from(
    [
        "date",
        "code",
        "category",
        "_count",
        "_offset",
        "patient",
        "_id",
        "name",
        "birthdate",
        "gender",
        "identifier",
        "_lastUpdated",
        "type",
        "status",
        "intent",
        "clinical-status",
        "x",
    ]
)


@given(
    resource_type=_TYPES,
    params=st.lists(st.tuples(_NAMES, st.text(max_size=30)), max_size=4),
)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_query_string_makes_a_server_error(
    cast_with_records: Cast, resource_type: str, params: list[tuple[str, str]]
) -> None:
    cast = cast_with_records
    token = patient_token(cast.patient_user, cast.patient)
    response = get(token, f"{resource_type}?{urlencode(params)}")
    assert response.status_code in (200, 400)
    _body(response)


def test_every_value_is_checked_whatever_the_others_find(cast: Cast) -> None:
    token = patient_token(cast.patient_user, cast.patient)
    other = cast.second_patient.pk
    for query in (f"Observation?patient={other}&date=soon", "Patient?name=nobody&birthdate=x"):
        response = get(token, query)
        assert response.status_code == 400, query
