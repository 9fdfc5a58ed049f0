"""What this server tells apps about its SMART App Launch support: the
`/fhir/.well-known/smart-configuration` document and the CapabilityStatement's `rest.security`.

Exactly what works, no more: the standalone patient launch (no EHR launch), public and
confidential (client secret) clients, PKCE with S256, scopes in v1 and v2 syntax, OpenID Connect
with `fhirUser`, and refresh tokens with `offline_access`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from carebridge.fhir.scopes import FHIR_USER, LAUNCH_PATIENT, OFFLINE_ACCESS, OPENID

SCOPES_SUPPORTED = (
    OPENID,
    FHIR_USER,
    LAUNCH_PATIENT,
    OFFLINE_ACCESS,
    "patient/*.rs",
    "patient/*.read",
)
CAPABILITIES = (
    "launch-standalone",
    "client-public",
    "client-confidential-symmetric",
    "context-standalone-patient",
    "permission-offline",
    "permission-patient",
    "permission-v1",
    "permission-v2",
    "sso-openid-connect",
)
_OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"


def _absolute(name: str) -> str:
    return settings.CAREBRIDGE_BASE_URL + reverse(name)


def smart_configuration() -> dict[str, Any]:
    """The `.well-known/smart-configuration` document (SMART App Launch 2.0)."""
    return {
        "issuer": settings.OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"],
        "jwks_uri": _absolute("oauth2_provider:jwks-info"),
        "authorization_endpoint": _absolute("oauth2_provider:authorize"),
        "token_endpoint": _absolute("oauth2_provider:token"),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint": _absolute("oauth2_provider:revoke-token"),
        "introspection_endpoint": _absolute("oauth2_provider:introspect"),
        "userinfo_endpoint": _absolute("oauth2_provider:user-info"),
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "response_types_supported": ["code"],
        "scopes_supported": list(SCOPES_SUPPORTED),
        "code_challenge_methods_supported": ["S256"],
        "capabilities": list(CAPABILITIES),
    }


def smart_security() -> dict[str, Any]:
    """The CapabilityStatement's `rest.security` element: SMART on FHIR, and where to authorize,
    exchange, revoke and introspect tokens (the oauth-uris extension)."""
    uris = [
        ("authorize", "oauth2_provider:authorize"),
        ("token", "oauth2_provider:token"),
        ("revoke", "oauth2_provider:revoke-token"),
        ("introspect", "oauth2_provider:introspect"),
    ]
    return {
        "extension": [
            {
                "url": _OAUTH_URIS,
                "extension": [{"url": key, "valueUri": _absolute(name)} for key, name in uris],
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
