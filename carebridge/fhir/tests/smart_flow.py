"""Steps of the SMART standalone launch for the tests: the app's side (PKCE, the authorize
address, the code exchange) and the patient's (Allow or Deny on the consent page)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client
from jwcrypto import jwk, jwt
from oauth2_provider.models import Application

from carebridge.fhir.smart.validator import fhir_base_url
from carebridge.testing.fhir import REDIRECT_URI

ALL = "launch/patient openid fhirUser offline_access patient/*.rs"


def pkce() -> tuple[str, str]:
    """A code verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(application: Application, *, scope: str = ALL, **overrides: str | None) -> str:
    """The address an app sends the browser to (`overrides` replace or, as None, drop params)."""
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": application.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": "state-123",
        "aud": fhir_base_url(),
        "code_challenge": pkce()[1],
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return "/o/authorize/?" + urlencode({k: v for k, v in params.items() if v is not None})


def redirect_params(location: str) -> dict[str, str]:
    """The query of the redirect back to the app, one value each."""
    assert location.startswith(REDIRECT_URI + "?"), location
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}


def answer(client: Client, url: str, *, parts: list[str], decision: str = "allow") -> Any:
    return client.post(url, {"parts": parts, "decision": decision})


def exchange(application: Application, code: str, verifier: str, **extra: str) -> Any:
    """The app's token request for a code (a public client: its id, no secret)."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": application.client_id,
        "code_verifier": verifier,
        **extra,
    }
    return Client().post("/o/token/", data)


def refresh(application: Application, refresh_token: str) -> Any:
    data = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": application.client_id,
    }
    return Client().post("/o/token/", data)


def id_token_claims(id_token: str) -> dict[str, Any]:
    """The ID token's claims, after checking its signature with the server's published key."""
    keys = jwk.JWKSet.from_json(Client().get("/o/.well-known/jwks.json").content)
    checked = jwt.JWT(jwt=id_token, key=keys)
    claims: dict[str, Any] = json.loads(checked.claims)
    return claims


def consent_labels(html: str) -> list[tuple[str, str]]:
    """The consent page's tick boxes: (value, label), in order."""
    pattern = (
        r'name="parts" value="([a-z_]+)" id="(id_parts_\d+)" checked> <label for="\2">([^<]+)<'
    )
    return [(value, label) for value, _id, label in re.findall(pattern, html)]
