"""Authorize requests that are refused: back to the app with an error when the app and its
address are verified, a page of our own (never a redirect) when they are not; nothing changes."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oauth2_provider.models import Application, Grant

from carebridge.fhir.models import AppRegistration, Connection
from carebridge.fhir.smart.validator import fhir_base_url
from carebridge.fhir.tests.smart_flow import authorize_url, redirect_params
from carebridge.testing.clients import client_for
from carebridge.testing.fhir import register_app
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def odd_app(cast: Cast) -> tuple[Client, Application]:
    """Pat, signed in, and an app her clinic offers."""
    return client_for(cast.patient_user), register_app(cast.patient)


UNKNOWN_APP = (
    "Your clinic does not offer this app, or the link that brought you here is not right. "
    "Nothing has been shared. If you think the app should be offered, call your clinic."
)


def _error(cast: Cast, **overrides: str | None) -> dict[str, str]:
    application = register_app(cast.patient)
    response = client_for(cast.patient_user).get(authorize_url(application, **overrides))
    assert response.status_code == 302
    assert not Connection.objects.exists()
    assert not Grant.objects.exists()
    return redirect_params(response["Location"])


def test_plain_pkce_is_refused(cast: Cast) -> None:
    assert _error(cast, code_challenge_method="plain") == {
        "error": "invalid_request",
        "error_description": "Only the S256 code challenge method is supported.",
        "state": "state-123",
    }


def test_a_challenge_without_its_method_is_refused(cast: Cast) -> None:
    assert _error(cast, code_challenge_method=None)["error_description"] == (
        "Only the S256 code challenge method is supported."
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("code_challenge", "x" * 200),
        ("code_challenge", "not a challenge"),
        ("nonce", "n" * 256),
    ],
)
def test_a_malformed_challenge_or_nonce_goes_back_to_the_app(
    cast: Cast, name: str, value: str
) -> None:
    # PostgreSQL would refuse to store them (a 500 there before this check).
    assert _error(cast, **{name: value}) == {
        "error": "invalid_request",
        "error_description": f"{name} is not well formed.",
        "state": "state-123",
    }


def test_missing_pkce_is_refused(cast: Cast) -> None:
    assert _error(cast, code_challenge=None, code_challenge_method=None) == {
        "error": "invalid_request",
        "error_description": "Code challenge required.",
        "state": "state-123",
    }


@pytest.mark.parametrize("aud", ["https://elsewhere.example/fhir", "", None])
def test_a_wrong_or_missing_aud_is_refused(cast: Cast, aud: str | None) -> None:
    assert _error(cast, aud=aud) == {
        "error": "invalid_request",
        "error_description": f"aud must be this server's FHIR base URL, {fhir_base_url()}.",
        "state": "state-123",
    }


def test_a_request_for_no_part_of_the_record_is_refused(cast: Cast) -> None:
    assert _error(cast, scope="openid fhirUser launch/patient") == {
        "error": "invalid_scope",
        "error_description": "No scope asks for a part of the record this server can share.",
        "state": "state-123",
    }


def _refusal(cast: Cast, url: str, *, user: object = None) -> str:
    response = client_for(user or cast.patient_user).get(url)  # type: ignore[arg-type]
    assert (response.status_code, response.get("Location")) == (400, None)
    assert not Connection.objects.exists()
    return response.content.decode()


def test_an_unregistered_app_gets_the_refusal_page(cast: Cast) -> None:
    application = register_app(cast.patient)
    AppRegistration.objects.all().delete()
    assert UNKNOWN_APP in _refusal(cast, authorize_url(application))


def test_an_app_the_clinic_withdrew_gets_the_refusal_page(cast: Cast) -> None:
    application = register_app(cast.patient)
    AppRegistration.objects.update(is_active=False)
    assert UNKNOWN_APP in _refusal(cast, authorize_url(application))


def test_an_unknown_client_id_gets_the_refusal_page(cast: Cast) -> None:
    application = register_app(cast.patient)
    assert UNKNOWN_APP in _refusal(cast, authorize_url(application, client_id="nobody"))


def test_an_unregistered_redirect_uri_gets_the_refusal_page_not_a_redirect(cast: Cast) -> None:
    application = register_app(cast.patient)
    url = authorize_url(application, redirect_uri="https://attacker.example/callback")
    assert UNKNOWN_APP in _refusal(cast, url)


def test_an_app_of_another_clinic_cannot_be_connected(cast: Cast) -> None:
    application = Application.objects.create(
        name="Elsewhere App",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:9999/callback",
        algorithm=Application.RS256_ALGORITHM,
    )
    AppRegistration.objects.create(application=application, clinic=cast.other_clinic)
    response = client_for(cast.patient_user).get(authorize_url(application))
    assert (response.status_code, response.get("Location")) == (403, None)
    assert (
        "Your clinic does not offer this app for any health record you can see. If you think it "
        "should, call your clinic."
    ) in response.content.decode()
    assert not Connection.objects.exists()


def test_staff_get_a_plain_refusal(cast: Cast) -> None:
    application = register_app(cast.patient)
    response = client_for(cast.clinician).get(authorize_url(application))
    assert (response.status_code, response.get("Location")) == (403, None)
    assert (
        "Apps can be connected only by patients and the people who help them. Clinic staff "
        "accounts cannot connect apps to anyone's record."
    ) in response.content.decode()


def test_signing_in_comes_first(cast: Cast) -> None:
    application = register_app(cast.patient)
    response = client_for(None).get(authorize_url(application))
    assert (response.status_code, response["Location"].startswith("/account/login/?next=")) == (
        302,
        True,
    )


def test_odd_query_strings_get_the_refusal_page(cast: Cast) -> None:
    register_app(cast.patient)
    for query in ("client_id=%00", "client_id=x&client_id=y", "scope=%ff", "response_type="):
        response = client_for(cast.patient_user).get(f"/o/authorize/?{query}")
        assert response.status_code == 400, query


@pytest.mark.parametrize(
    "data",
    [
        {"grant_type": "authorization_code", "client_id": "\x00", "code": "x"},
        {"grant_type": "refresh_token", "refresh_token": "a\x00b", "client_id": "x"},
    ],
)
def test_a_token_request_holding_a_nul_is_an_invalid_request(
    cast: Cast, data: dict[str, str]
) -> None:
    # PostgreSQL cannot compare text with a NUL: without the guard this was a server error there.
    for path in ("/o/token/", "/o/revoke_token/", "/o/introspect/"):
        response = client_for(None).post(path, data)
        assert (response.status_code, response.json()["error"]) == (400, "invalid_request")
    secret = base64.b64encode(b"\x00:secret").decode()
    response = client_for(None).post(
        "/o/token/",
        {"grant_type": "authorization_code", "code": "x"},
        headers={"Authorization": f"Basic {secret}"},
    )
    assert (response.status_code, response.json()["error"]) == (400, "invalid_request")


ODD = st.one_of(
    st.sampled_from(["", "\x00", "plain", "S256", "x" * 5000, "patient/*.rs", "%ff", "not-a-uuid"]),
    st.text(max_size=30),
)
PARAMS = (
    "scope",
    "aud",
    "state",
    "code_challenge",
    "code_challenge_method",
    "redirect_uri",
    "response_type",
    "record_of",
    "nonce",
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    odd=st.dictionaries(st.sampled_from(PARAMS), ODD, min_size=1, max_size=4), post=st.booleans()
)
def test_no_authorize_request_gives_a_server_error(
    odd_app: tuple[Client, Application], odd: dict[str, str], post: bool
) -> None:
    client, application = odd_app
    url = authorize_url(application, **odd)
    response = (
        client.post(url, {"parts": ["results"], "decision": "allow"}) if post else client.get(url)
    )
    assert response.status_code in {200, 302, 400, 403}
