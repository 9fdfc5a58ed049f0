"""The patients' API: SMART App Launch on django-oauth-toolkit (OAuth 2.0 and OpenID Connect).

The ID-token signing key is an RSA private key in PEM form, from the environment only in
production (`CAREBRIDGE_OIDC_RSA_PRIVATE_KEY`); development and tests use a committed key that is
public on purpose, which production refuses (`safety.oidc_key_problems`).
"""

from pathlib import Path

from carebridge.settings.env import ENV, env_int
from carebridge.settings.portal import CAREBRIDGE_BASE_URL

DEVELOPMENT_OIDC_KEY_FILE = Path(__file__).with_name("development_oidc_key.pem")
DEVELOPMENT_OIDC_RSA_PRIVATE_KEY = DEVELOPMENT_OIDC_KEY_FILE.read_text()
_PRODUCTION = ENV.get("CAREBRIDGE_MODE", "development").strip().lower() == "production"
CAREBRIDGE_OIDC_RSA_PRIVATE_KEY = ENV.get(
    "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY", "" if _PRODUCTION else DEVELOPMENT_OIDC_RSA_PRIVATE_KEY
)

OAUTH2_PROVIDER = {
    # SMART App Launch 2.0: authorization code with PKCE (S256 only, checked by the validator,
    # which also checks `aud`, keeps refresh tokens to offline_access and links every token to
    # the patient's connection: see carebridge/fhir/smart/validator.py).
    "OAUTH2_VALIDATOR_CLASS": "carebridge.fhir.smart.validator.SmartValidator",
    "PKCE_REQUIRED": True,
    # The issuer is the server's public address, not whatever Host a request came with.
    "OIDC_ISS_ENDPOINT": CAREBRIDGE_BASE_URL + "/o",
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": CAREBRIDGE_OIDC_RSA_PRIVATE_KEY,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    # offline_access: a refresh token lasts 90 days and is replaced each time it is used.
    "REFRESH_TOKEN_EXPIRE_SECONDS": 90 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    "SCOPES": {
        "openid": "Who you are",
        "fhirUser": "Who you are in the record",
        "launch/patient": "Which patient's record",
        "offline_access": "Keep reading after you close the app",
        "patient/*.rs": "Your health record",
    },
}

# django-oauth-toolkit's own models (named here because its migrations name them as settings).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"

# The FHIR API: how many requests one access token may make in a window of this many seconds.
CAREBRIDGE_FHIR_RATE_LIMIT = (env_int("CAREBRIDGE_FHIR_REQUESTS_PER_MINUTE", 120), 60)
