"""The OAuth 2.0 and OpenID Connect addresses under `/o/` (namespace `oauth2_provider`, which
django-oauth-toolkit reverses), and the SMART configuration under `/fhir/.well-known/`.

Only the endpoints an app needs: our authorize view, the toolkit's token, revocation and
introspection endpoints, and its OpenID Connect discovery, keys and userinfo. Never the toolkit's
application-management pages (clinic administrators register apps in the console) nor its
device, dynamic-registration or logout endpoints.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path
from oauth2_provider import urls as toolkit_urls

from carebridge.fhir.smart import views
from carebridge.fhir.smart.guards import refuse_nul

_TOOLKIT_NAMES = {
    "token",
    "revoke-token",
    "introspect",
    "oidc-connect-discovery-info",
    "jwks-info",
    "user-info",
}

oauth_urlpatterns: list[URLPattern | URLResolver] = [
    path("authorize/", views.authorize, name="authorize"),
    *[
        URLPattern(
            pattern.pattern, refuse_nul(pattern.callback), pattern.default_args, pattern.name
        )
        for pattern in toolkit_urls.base_urlpatterns + toolkit_urls.oidc_urlpatterns
        if isinstance(pattern, URLPattern) and pattern.name in _TOOLKIT_NAMES
    ],
]

well_known_urlpatterns: list[URLPattern | URLResolver] = [
    path("smart-configuration", views.smart_configuration_view, name="smart-configuration"),
]
