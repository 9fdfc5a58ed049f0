"""Authorisation-matrix rows for SMART App Launch (issue 17): the authorize step and the OAuth 2.0
and OpenID Connect endpoints under /o/, and the SMART configuration.

The authorize page is for patients and the people who help them: staff get a plain refusal
(403); anyone else signed in who arrives without a registered app gets the refusal page (400),
never a redirect. The whole flow with a registered app, for each kind of person, is tested in
carebridge/fhir/tests/test_smart_*.py. The token, revocation and introspection endpoints are
for apps, not people: a request without credentials is refused the same for every persona
(a session is no credential there). The discovery documents and keys are public.
"""

from __future__ import annotations

from carebridge.testing.matrix import OK, UNAUTHORISED, Expect, Route, expectations, url

BAD_REQUEST = Expect(400)
FORBIDDEN = Expect(403)
# The app's endpoints answer everyone alike, signed in or not (a staff member who has not set
# up two-step verification is sent to do so first, as everywhere).
SAME_FOR_ALL = {
    "ok": expectations(OK, anonymous=OK),
    "bad_request": expectations(BAD_REQUEST, anonymous=BAD_REQUEST),
    "unauthorised": expectations(UNAUTHORISED, anonymous=UNAUTHORISED),
    "forbidden": expectations(FORBIDDEN, anonymous=FORBIDDEN),
}
AUTHORIZE = expectations(BAD_REQUEST, staff=FORBIDDEN)

# The SMART configuration is public JSON under the FHIR base, which bearer tokens guard instead
# of sessions: nobody is sent to set up two-step verification first.
PUBLIC_JSON = expectations(OK, anonymous=OK, no_mfa=OK)

ROUTES: list[Route] = [
    Route("oauth2_provider:authorize", url("oauth2_provider:authorize"), AUTHORIZE),
    Route(
        "oauth2_provider:authorize",
        lambda cast: "/o/authorize/?client_id=nobody&response_type=code",
        AUTHORIZE,
    ),
    Route("oauth2_provider:authorize", url("oauth2_provider:authorize"), AUTHORIZE, method="post"),
    Route(
        "oauth2_provider:token",
        url("oauth2_provider:token"),
        SAME_FOR_ALL["bad_request"],
        method="post",
    ),
    Route(
        "oauth2_provider:revoke-token",
        url("oauth2_provider:revoke-token"),
        SAME_FOR_ALL["bad_request"],
        method="post",
    ),
    Route(
        "oauth2_provider:introspect", url("oauth2_provider:introspect"), SAME_FOR_ALL["forbidden"]
    ),
    Route(
        "oauth2_provider:oidc-connect-discovery-info",
        url("oauth2_provider:oidc-connect-discovery-info"),
        SAME_FOR_ALL["ok"],
    ),
    Route("oauth2_provider:jwks-info", url("oauth2_provider:jwks-info"), SAME_FOR_ALL["ok"]),
    Route(
        "oauth2_provider:user-info", url("oauth2_provider:user-info"), SAME_FOR_ALL["unauthorised"]
    ),
    Route("smart:smart-configuration", url("smart:smart-configuration"), PUBLIC_JSON),
]
