"""What the server advertises about SMART App Launch: exactly what works."""

from __future__ import annotations

import pytest
from django.test import Client

from carebridge.fhir.smart.configuration import smart_security

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def test_smart_configuration_is_exactly_what_works() -> None:
    response = Client().get("/fhir/.well-known/smart-configuration")
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "issuer": f"{BASE}/o",
        "jwks_uri": f"{BASE}/o/.well-known/jwks.json",
        "authorization_endpoint": f"{BASE}/o/authorize/",
        "token_endpoint": f"{BASE}/o/token/",
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint": f"{BASE}/o/revoke_token/",
        "introspection_endpoint": f"{BASE}/o/introspect/",
        "userinfo_endpoint": f"{BASE}/o/userinfo/",
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "response_types_supported": ["code"],
        "scopes_supported": [
            "openid",
            "fhirUser",
            "launch/patient",
            "offline_access",
            "patient/*.rs",
            "patient/*.read",
        ],
        "code_challenge_methods_supported": ["S256"],
        "capabilities": [
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "context-standalone-patient",
            "permission-offline",
            "permission-patient",
            "permission-v1",
            "permission-v2",
            "sso-openid-connect",
        ],
    }


def test_openid_discovery_names_the_same_issuer_and_endpoints() -> None:
    document = Client().get("/o/.well-known/openid-configuration").json()
    assert (
        document["issuer"],
        document["authorization_endpoint"],
        document["token_endpoint"],
        document["jwks_uri"],
    ) == (
        f"{BASE}/o",
        f"{BASE}/o/authorize/",
        f"{BASE}/o/token/",
        f"{BASE}/o/.well-known/jwks.json",
    )


def test_the_capability_statement_security_element() -> None:
    assert smart_security() == {
        "extension": [
            {
                "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                "extension": [
                    {"url": "authorize", "valueUri": f"{BASE}/o/authorize/"},
                    {"url": "token", "valueUri": f"{BASE}/o/token/"},
                    {"url": "revoke", "valueUri": f"{BASE}/o/revoke_token/"},
                    {"url": "introspect", "valueUri": f"{BASE}/o/introspect/"},
                ],
            }
        ],
        "service": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        "code": "SMART-on-FHIR",
                        "display": "SMART-on-FHIR",
                    }
                ],
                "text": "OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)",
            }
        ],
    }


def test_no_application_management_pages_are_served() -> None:
    for path in ("/o/applications/", "/o/authorized_tokens/", "/o/register/", "/o/logout/"):
        assert Client().get(path).status_code == 404, path
