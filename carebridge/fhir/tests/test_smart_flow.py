"""The standalone patient launch end to end, as Pat: authorize, consent, code, token with PKCE,
refresh and revoke; what the tokens carry and what is recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from oauth2_provider.models import AccessToken, RefreshToken

from carebridge.audit.models import AuditEvent
from carebridge.fhir.auth import ApiAuthError, authenticate
from carebridge.fhir.models import Connection, GrantLink, TokenLink
from carebridge.fhir.smart.parts import PARTS
from carebridge.fhir.smart.validator import fhir_base_url
from carebridge.fhir.tests.smart_flow import (
    ALL,
    answer,
    authorize_url,
    consent_labels,
    exchange,
    id_token_claims,
    pkce,
    redirect_params,
    refresh,
)
from carebridge.testing.clients import client_for
from carebridge.testing.fhir import bearer, register_app
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

EVERY_PART = [part.key for part in PARTS]


def _launch(cast: Cast, *, scope: str = ALL, parts: list[str] | None = None) -> dict[str, Any]:
    """Pat connects a new app with these parts ticked; the app exchanges the code."""
    application = register_app(cast.patient)
    verifier, challenge = pkce()
    url = authorize_url(application, scope=scope, code_challenge=challenge)
    response = answer(client_for(cast.patient_user), url, parts=parts or EVERY_PART)
    code = redirect_params(response["Location"])["code"]
    token = exchange(application, code, verifier)
    assert token.status_code == 200, token.content
    return {"application": application, **token.json()}


def test_the_consent_page_says_which_app_which_parts_how_long_and_how_to_stop(cast: Cast) -> None:
    application = register_app(cast.patient, name="Health Diary")
    response = client_for(cast.patient_user).get(authorize_url(application))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Health Diary wants to read your health record</h1>" in html
    assert consent_labels(html) == [
        ("results", "Test results"),
        ("vitals", "Vital signs, such as blood pressure and weight"),
        ("medicines", "Medicines"),
        ("allergies", "Allergies"),
        ("conditions", "Health problems (conditions)"),
        ("immunizations", "Immunizations (vaccines)"),
        ("procedures", "Procedures"),
        ("visits", "Visits"),
        ("documents", "Documents, notes and forms"),
        ("care_team", "Care team"),
        ("care_plans", "Goals and care plans"),
        ("other_observations", "Other measurements and notes, such as smoking status"),
        ("details", "Personal details: name, date of birth, contacts, insurance and devices"),
    ]
    assert '<legend class="label">Parts of the health record the app may read</legend>' in html
    assert "<p>The app can read these parts until you disconnect it.</p>" in html
    assert "<p>You can stop it at any time in Connected apps, in your account.</p>" in html
    assert "Not available" not in html


def test_the_consent_form_may_return_to_the_apps_address_and_nowhere_else(cast: Cast) -> None:
    # Browsers apply `form-action` to the redirect after a submission: without the app's origin
    # the answer would never reach the app (found by the browser journey).
    application = register_app(cast.patient, name="Health Diary")
    response = client_for(cast.patient_user).get(authorize_url(application))
    policy = response["Content-Security-Policy"]
    assert "form-action 'self' http://127.0.0.1:9999;" in policy
    assert policy.count("form-action") == 1
    assert (
        client_for(cast.patient_user)
        .get("/")
        .headers["Content-Security-Policy"]
        .count("form-action 'self';")
        == 1
    )


def test_without_offline_access_the_page_says_one_hour(cast: Cast) -> None:
    application = register_app(cast.patient)
    url = authorize_url(
        application, scope="launch/patient patient/Observation.rs?category=laboratory"
    )
    html = client_for(cast.patient_user).get(url).content.decode()
    assert consent_labels(html) == [("results", "Test results")]
    assert "<p>The app can read these parts for one hour.</p>" in html


def test_allow_connects_the_app_records_it_and_sends_the_code(cast: Cast) -> None:
    application = register_app(cast.patient, name="Health Diary")
    url = authorize_url(application)
    response = answer(client_for(cast.patient_user), url, parts=EVERY_PART)
    params = redirect_params(response["Location"])
    assert (response.status_code, sorted(params), params["state"]) == (
        302,
        ["code", "state"],
        "state-123",
    )
    connection = Connection.objects.get()
    assert (
        connection.application,
        connection.user,
        connection.patient,
        connection.scope,
        connection.acting_as,
        connection.revoked_at,
    ) == (application, cast.patient_user, cast.patient, ALL, "self", None)
    assert GrantLink.objects.get().connection == connection
    event = AuditEvent.objects.get(object_type="app_connection")
    assert (
        event.action,
        event.actor,
        event.patient,
        event.acting_as,
        event.object_id,
        event.changes,
    ) == (
        "create",
        cast.patient_user,
        cast.patient,
        "self",
        str(connection.pk),
        {"app": {"before": None, "after": "Health Diary"}, "scope": {"before": None, "after": ALL}},
    )


def test_the_token_response_carries_patient_scope_id_token_and_refresh_token(cast: Cast) -> None:
    token = _launch(cast)
    assert sorted(token) == [
        "access_token",
        "application",
        "expires_in",
        "id_token",
        "patient",
        "refresh_token",
        "scope",
        "token_type",
    ]
    assert (token["patient"], token["scope"], token["token_type"], token["expires_in"]) == (
        str(cast.patient.pk),
        ALL,
        "Bearer",
        3600,
    )
    claims = id_token_claims(token["id_token"])
    assert claims["fhirUser"] == f"{fhir_base_url()}/Patient/{cast.patient.pk}"
    assert (claims["sub"], claims["aud"], claims["iss"]) == (
        str(cast.patient_user.pk),
        token["application"].client_id,
        "http://127.0.0.1:8000/o",
    )
    connection = Connection.objects.get()
    access = AccessToken.objects.get()
    assert TokenLink.objects.get(access_token=access).connection == connection
    assert not GrantLink.objects.exists(), "the code is used up"
    caller = authenticate(
        RequestFactory().get("/fhir/Patient", headers=bearer(token["access_token"]))
    )
    assert (caller.patient, caller.connection) == (cast.patient, connection)


def test_no_refresh_token_without_offline_access(cast: Cast) -> None:
    token = _launch(cast, scope="launch/patient openid fhirUser patient/*.rs")
    assert "refresh_token" not in token
    assert token["scope"] == "launch/patient openid fhirUser patient/*.rs"
    assert not RefreshToken.objects.exists()


def test_no_patient_without_launch_patient_and_no_fhir_user_without_its_scope(cast: Cast) -> None:
    token = _launch(cast, scope="openid patient/*.rs")
    assert "patient" not in token
    assert "fhirUser" not in id_token_claims(token["id_token"])


def test_unknown_scopes_are_dropped(cast: Cast) -> None:
    token = _launch(
        cast, scope="launch/patient patient/*.rs user/*.rs patient/Observation.write bogus"
    )
    assert token["scope"] == "launch/patient patient/*.rs"
    assert Connection.objects.get().scope == "launch/patient patient/*.rs"


def test_unticked_parts_are_not_granted(cast: Cast) -> None:
    token = _launch(
        cast,
        scope="launch/patient patient/Observation.rs patient/AllergyIntolerance.read",
        parts=["results", "allergies"],
    )
    assert token["scope"] == (
        "launch/patient patient/Observation.rs?category=laboratory patient/AllergyIntolerance.rs"
    )


def test_at_least_one_part_must_stay_ticked(cast: Cast) -> None:
    application = register_app(cast.patient)
    response = answer(client_for(cast.patient_user), authorize_url(application), parts=[])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tick at least one part of the record, or choose Deny." in html
    assert not Connection.objects.exists()
    assert not AuditEvent.objects.filter(object_type="app_connection").exists()


def test_deny_sends_access_denied_and_connects_nothing(cast: Cast) -> None:
    application = register_app(cast.patient)
    url = authorize_url(application)
    response = answer(client_for(cast.patient_user), url, parts=EVERY_PART, decision="deny")
    assert redirect_params(response["Location"]) == {
        "error": "access_denied",
        "state": "state-123",
    }
    assert not Connection.objects.exists()
    assert not AccessToken.objects.exists()


def test_refresh_gives_a_new_pair_linked_to_the_same_connection(cast: Cast) -> None:
    token = _launch(cast)
    renewed = refresh(token["application"], token["refresh_token"])
    body = renewed.json()
    assert renewed.status_code == 200
    assert (body["scope"], body["patient"]) == (ALL, str(cast.patient.pk))
    assert body["access_token"] != token["access_token"]
    assert body["refresh_token"] != token["refresh_token"]
    assert [link.connection for link in TokenLink.objects.all()] == [Connection.objects.get()]
    assert AccessToken.objects.get().connection_link.connection == Connection.objects.get()
    again = refresh(token["application"], token["refresh_token"])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_refresh_of_a_disconnected_connection_is_refused(cast: Cast) -> None:
    token = _launch(cast)
    Connection.objects.update(revoked_at="2026-01-01T00:00:00Z")
    renewed = refresh(token["application"], token["refresh_token"])
    assert (renewed.status_code, renewed.json()["error"]) == (400, "invalid_grant")


def test_revoking_the_access_token_kills_it(cast: Cast) -> None:
    token = _launch(cast)
    response = Client().post(
        "/o/revoke_token/",
        {"token": token["access_token"], "client_id": token["application"].client_id},
    )
    assert response.status_code == 200
    assert not AccessToken.objects.exists()
    assert not TokenLink.objects.exists()
    with pytest.raises(ApiAuthError) as refused:
        authenticate(RequestFactory().get("/fhir/Patient", headers=bearer(token["access_token"])))
    assert refused.value.status == 401


def test_revoking_the_refresh_token_stops_refreshing(cast: Cast) -> None:
    token = _launch(cast)
    Client().post(
        "/o/revoke_token/",
        {"token": token["refresh_token"], "client_id": token["application"].client_id},
    )
    renewed = refresh(token["application"], token["refresh_token"])
    assert (renewed.status_code, renewed.json()["error"]) == (400, "invalid_grant")


def test_a_code_cannot_be_exchanged_without_its_verifier(cast: Cast) -> None:
    application = register_app(cast.patient)
    _verifier, challenge = pkce()
    url = authorize_url(application, code_challenge=challenge)
    response = answer(client_for(cast.patient_user), url, parts=EVERY_PART)
    code = redirect_params(response["Location"])["code"]
    token = exchange(application, code, pkce()[0])
    assert (token.status_code, token.json()["error"]) == (400, "invalid_grant")
    assert not AccessToken.objects.exists()


def test_a_confidential_app_authenticates_with_its_secret(cast: Cast) -> None:
    application = register_app(cast.patient, confidential=True)
    application.client_secret = "the-app-secret"
    application.save()
    verifier, challenge = pkce()
    url = authorize_url(application, code_challenge=challenge, aud=fhir_base_url() + "/")
    response = answer(client_for(cast.patient_user), url, parts=EVERY_PART)
    code = redirect_params(response["Location"])["code"]
    without_secret = exchange(application, code, verifier)
    assert (without_secret.status_code, without_secret.json()["error"]) == (401, "invalid_client")
    token = exchange(application, code, verifier, client_secret="the-app-secret")
    assert (token.status_code, token.json()["patient"]) == (200, str(cast.patient.pk))


def test_userinfo_names_the_patient_as_fhir_user(cast: Cast) -> None:
    token = _launch(cast)
    response = Client().get("/o/userinfo/", headers=bearer(token["access_token"]))
    assert response.json() == {
        "sub": str(cast.patient_user.pk),
        "fhirUser": f"{fhir_base_url()}/Patient/{cast.patient.pk}",
    }
