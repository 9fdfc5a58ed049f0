"""Who is calling the FHIR API: the bearer token, its app, its connection and patient, its scopes.

Every API request starts here. A token is accepted only when django-oauth-toolkit finds it valid
(issued, not expired, not revoked), it was issued for a connection (`TokenLink`) that has not been
disconnected, and the app is still offered by the patient's clinic. Anything else is a 401 with a
`WWW-Authenticate` challenge; the caller turns `ApiAuthError` into an OperationOutcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest
from oauth2_provider.oauth2_backends import get_oauthlib_core

from carebridge.fhir.models import Connection, TokenLink
from carebridge.fhir.scopes import ScopeSet

if TYPE_CHECKING:
    from oauth2_provider.models import AccessToken, Application

    from carebridge.accounts.models import User
    from carebridge.patients.models import Patient


class ApiAuthError(Exception):
    """The request may not use the API: `status` 401 (no usable token) or 403 (not allowed)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ApiCaller:
    """The app calling, for whom, with what: everything the API's access checks need."""

    user: User
    patient: Patient
    connection: Connection
    application: Application
    token: AccessToken
    scopes: ScopeSet

    @property
    def app_name(self) -> str:
        return str(self.application.name)


def authenticate(request: HttpRequest) -> ApiCaller:
    """The caller of this API request, or ApiAuthError (401) when its bearer token is missing,
    unknown, expired or revoked, its connection was disconnected, or its app was withdrawn.

    Privacy rule: the error says which of these it was only in general words; it never names
    the patient or the app.
    """
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        raise ApiAuthError(401, "login", "This request needs an access token.")
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None) if valid else None
    if token is None:
        raise ApiAuthError(401, "expired", "The access token is not valid or has expired.")
    link = (
        TokenLink.objects.select_related(
            "connection__patient__clinic",
            "connection__application__registration",
            "connection__user",
        )
        .filter(access_token=token)
        .first()
    )
    if link is None or link.connection.revoked_at is not None:
        raise ApiAuthError(401, "expired", "The access token is not valid or has expired.")
    connection = link.connection
    registration = getattr(connection.application, "registration", None)
    if registration is None or not registration.is_active:
        raise ApiAuthError(401, "expired", "The access token is not valid or has expired.")
    return ApiCaller(
        user=connection.user,
        patient=connection.patient,
        connection=connection,
        application=connection.application,
        token=token,
        scopes=ScopeSet.parse(token.scope),
    )
