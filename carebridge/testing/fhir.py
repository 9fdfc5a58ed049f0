"""Apps, connections and tokens for the FHIR API's tests, made directly in the database.

The authorisation flow itself (authorize, consent, code, token with PKCE) is tested end to end
in the SMART tests; API tests start from a token these helpers issue.
"""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from carebridge.accounts.models import User
from carebridge.fhir.models import AppRegistration, Connection, TokenLink
from carebridge.patients.models import Patient

REDIRECT_URI = "http://127.0.0.1:9999/callback"
EVERYTHING = "launch/patient openid fhirUser patient/*.rs"


def register_app(
    patient: Patient, *, name: str = "Health Diary", confidential: bool = False
) -> Application:
    """An app registered by the patient's clinic (public by default, as phone apps are)."""
    application = Application.objects.create(
        name=name,
        client_type=(
            Application.CLIENT_CONFIDENTIAL if confidential else Application.CLIENT_PUBLIC
        ),
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT_URI,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=False,
    )
    AppRegistration.objects.create(application=application, clinic=patient.clinic)
    return application


def connect_app(
    *,
    user: User,
    patient: Patient,
    scope: str = EVERYTHING,
    acting_as: str = "self",
    application: Application | None = None,
) -> Connection:
    """`user`'s connection of an app to `patient`'s record with these scopes."""
    return Connection.objects.create(
        application=application or register_app(patient),
        user=user,
        patient=patient,
        scope=scope,
        acting_as=acting_as,
    )


def issue_token(
    connection: Connection,
    *,
    scope: str | None = None,
    expires_in: datetime.timedelta = datetime.timedelta(hours=1),
) -> str:
    """A bearer token for the connection (its scopes unless `scope` narrows them)."""
    value = secrets.token_urlsafe(30)
    token = AccessToken.objects.create(
        user=connection.user,
        application=connection.application,
        token=value,
        expires=timezone.now() + expires_in,
        scope=connection.scope if scope is None else scope,
    )
    TokenLink.objects.create(access_token=token, connection=connection)
    return value


def bearer(token: str) -> dict[str, str]:
    """The request header that carries `token` (for the test client's `headers=`)."""
    return {"Authorization": f"Bearer {token}"}
