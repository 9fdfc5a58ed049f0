"""django-oauth-toolkit's request validator with the rules of SMART App Launch 2.0 added.

- PKCE with S256 only: a `plain` or missing challenge method is refused at the authorize step
  (django-oauth-toolkit already refuses a missing challenge, `PKCE_REQUIRED`).
- `aud` on the authorize request must be this server's FHIR base URL, so an app cannot be
  tricked into sending a token meant for us to another server, or the reverse.
- Scopes: only what `fhir.scopes.ScopeSet` understands is granted; the consent page drops the
  rest (the validator accepts any scope words, since SMART scopes are not a fixed list).
- A refresh token only with `offline_access`.
- Every token is linked (`TokenLink`) to the connection its code was issued for, a refresh
  keeps the link, and a code or refresh token of a connection that was disconnected, whose app
  the clinic withdrew, or whose person no longer acts for the patient, is refused.
- The token response carries `patient` (with `launch/patient`) and the ID token `fhirUser`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from oauth2_provider.models import AccessToken, Grant, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors

from carebridge.fhir.models import Connection, GrantLink, TokenLink
from carebridge.fhir.scopes import ScopeSet
from carebridge.fhir.smart.parts import PARTS, granted_scope
from carebridge.fhir.smart.people import record_parts_now

# The attribute of oauthlib's request that carries the connection from the consent page (a
# credential) or from the code or refresh token being exchanged.
CONNECTION_ATTRIBUTE = "carebridge_connection"
S256 = "S256"


def fhir_base_url() -> str:
    """The FHIR API's base URL, which every token's `aud` must equal."""
    return f"{settings.CAREBRIDGE_BASE_URL}/fhir"


class SmartValidator(OAuth2Validator):
    """The OAUTH2_VALIDATOR_CLASS (see the module's docstring for the rules it adds)."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "fhirUser": "fhirUser"}

    def validate_scopes(
        self,
        client_id: str,
        scopes: list[str],
        client: Any,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        # oauthlib calls this last on the authorize request, after it has checked the client and
        # the redirect URI, so an error raised here goes back to the app's verified address.
        if request.response_type is not None:
            _check_authorize_request(request)
        return True

    def get_default_scopes(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> list[str]:
        return []

    def _create_authorization_code(
        self, request: Request, code: dict[str, str], expires: Any = None
    ) -> Grant:
        connection = getattr(request, CONNECTION_ATTRIBUTE, None)
        if not isinstance(connection, Connection):
            raise errors.InvalidRequestError(
                description="No connection for this code.", request=request
            )
        grant = super()._create_authorization_code(request, code, expires)
        GrantLink.objects.create(grant=grant, connection=connection)
        return grant

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        link = (
            GrantLink.objects.select_related(*_CONNECTION_RELATED)
            .filter(grant__code=code, grant__application=client)
            .first()
        )
        return link is not None and _attach(request, link.connection)

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        connection = _connection_of_refresh_token(request.refresh_token_instance)
        return connection is not None and _attach(request, connection)

    def get_original_scopes(
        self, refresh_token: str, request: Request, *args: Any, **kwargs: Any
    ) -> str | list[str]:
        """The scopes a refresh may renew: those granted, less any part of the record a
        caregiver or parent may no longer see (their grant or the age rules changed)."""
        original = super().get_original_scopes(refresh_token, request, *args, **kwargs)
        connection = getattr(request, CONNECTION_ATTRIBUTE, None)
        if not isinstance(connection, Connection) or connection.acting_as == "self":
            return original
        text = original if isinstance(original, str) else " ".join(original)
        sections = record_parts_now(
            connection.user, connection.patient, acting_as=connection.acting_as
        )
        kept = [part.key for part in PARTS if sections is None or part.record_part in sections]
        return granted_scope(text, kept)

    def save_bearer_token(
        self, token: dict[str, Any], request: Request, *args: Any, **kwargs: Any
    ) -> None:
        granted = ScopeSet.parse(token.get("scope", ""))
        if not granted.has_offline_access:
            # oauthlib issues a refresh token whenever the grant allows one; SMART keeps them
            # to apps the patient let keep reading after they close the app.
            token.pop("refresh_token", None)
        super().save_bearer_token(token, request, *args, **kwargs)
        connection = getattr(request, CONNECTION_ATTRIBUTE, None)
        if isinstance(connection, Connection) and granted.launch_patient:
            token["patient"] = str(connection.patient_id)

    def _create_access_token(
        self,
        expires: Any,
        request: Request,
        token: dict[str, Any],
        source_refresh_token: Any = None,
    ) -> AccessToken:
        access_token = super()._create_access_token(expires, request, token, source_refresh_token)
        connection = getattr(request, CONNECTION_ATTRIBUTE, None)
        if isinstance(connection, Connection):
            TokenLink.objects.create(access_token=access_token, connection=connection)
        return access_token

    def get_additional_claims(self, request: Request) -> dict[str, Any]:
        """`fhirUser` for the patient themself. A caregiver or parent gets none: they would be a
        RelatedPerson, which the record does not hold for them, and a reference to a resource
        the app cannot read would mislead it."""
        connection = getattr(request, CONNECTION_ATTRIBUTE, None)
        if connection is None and getattr(request, "access_token", None) is not None:
            link = TokenLink.objects.filter(access_token=request.access_token).select_related(
                "connection"
            )
            connection = next((item.connection for item in link), None)
        if not isinstance(connection, Connection) or connection.acting_as != "self":
            return {}
        return {"fhirUser": f"{fhir_base_url()}/Patient/{connection.patient_id}"}


_CONNECTION_RELATED = (
    "connection__patient__clinic",
    "connection__user",
    "connection__application__registration",
)


def _check_authorize_request(request: Request) -> None:
    if request.code_challenge_method != S256:
        raise errors.UnsupportedCodeChallengeMethodError(
            description="Only the S256 code challenge method is supported.", request=request
        )
    # A trailing slash names the same base (some clients add one).
    aud = getattr(request, "aud", None)
    if not isinstance(aud, str) or aud.rstrip("/") != fhir_base_url():
        raise errors.InvalidRequestError(
            description=f"aud must be this server's FHIR base URL, {fhir_base_url()}.",
            request=request,
        )


def _attach(request: Request, connection: Connection) -> bool:
    """Put the connection on the request when it may still have tokens; False when not."""
    if not is_connection_usable(connection):
        return False
    setattr(request, CONNECTION_ATTRIBUTE, connection)
    return True


def is_connection_usable(connection: Connection) -> bool:
    """Not disconnected, its app still offered by the clinic, and its person still allowed to
    act for the patient (a caregiver whose access ended cannot refresh)."""
    if connection.revoked_at is not None:
        return False
    registration = getattr(connection.application, "registration", None)
    if registration is None or not registration.is_active:
        return False
    sections = record_parts_now(connection.user, connection.patient, acting_as=connection.acting_as)
    return sections != frozenset()


def _connection_of_refresh_token(refresh_token: RefreshToken) -> Connection | None:
    # The access token issued with the refresh token carries the link; after a rotation that
    # access token is gone, but the one issued from this refresh token carries it.
    links = TokenLink.objects.select_related(*_CONNECTION_RELATED)
    if refresh_token.access_token_id is not None:
        link = links.filter(access_token_id=refresh_token.access_token_id).first()
    else:
        link = links.filter(access_token__source_refresh_token=refresh_token).first()
    return link.connection if link is not None else None
