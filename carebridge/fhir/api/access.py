"""Who may read what through the API: the token, its rate, and the record as its user sees it.

Access is decided at every request from the caller: a token for a connection made by the
patient themself sees their whole record as on their pages; one made by a caregiver sees what
that caregiver may see today (the grant's parts, never sensitive items), and stops working when
the grant ends. The token's scopes narrow that further, by type and by category.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from carebridge.fhir.api.errors import ApiError
from carebridge.fhir.auth import ApiAuthError, ApiCaller, authenticate
from carebridge.fhir.limits import check_rate
from carebridge.fhir.scopes import Interaction
from carebridge.proxies.resolution import resolve_acting_context
from carebridge.records.scope import RecordScope

ENDED = "The access this app was given has ended."


@dataclass(frozen=True)
class ApiAccess:
    """An authenticated API request: the caller and the record as they may see it."""

    caller: ApiCaller
    scope: RecordScope

    def check_type(self, resource_type: str, interaction: Interaction) -> None:
        """403 unless the token's scopes let the app read (or search) this type."""
        if not self.caller.scopes.permits(resource_type, interaction):
            raise ApiError(403, f"This app was not given access to {resource_type} resources.")

    def categories(self, resource_type: str, interaction: Interaction) -> frozenset[str] | None:
        return self.caller.scopes.categories_for(resource_type, interaction)


def fhir_base() -> str:
    return f"{settings.CAREBRIDGE_BASE_URL}/fhir"


def api_access(request: HttpRequest) -> ApiAccess:
    """The caller of this request and what of the record they may see, or ApiError: 401 (no
    usable token, or the caregiver's access ended), 429 (too many requests for the token).

    Privacy rule: nothing here is audited (nothing of the record is read yet); the view audits
    each response that returns the record's data.
    """
    try:
        caller = authenticate(request)
    except ApiAuthError as error:
        invalid = error.code != "login"
        raise ApiError(error.status, error.message, headers=_challenge(invalid=invalid)) from None
    if not check_rate(caller.token.token):
        raise ApiError(
            429, "Too many requests: try again in a minute.", headers={"Retry-After": "60"}
        )
    return ApiAccess(caller, _record_scope(caller))


def _record_scope(caller: ApiCaller) -> RecordScope:
    patient = caller.patient
    if caller.connection.acting_as == "proxy":
        acting = resolve_acting_context(caller.user, str(patient.pk))
        scope = RecordScope.of_acting(acting) if acting.is_proxy else None
        if scope is None or scope.patient.pk != patient.pk:
            raise ApiError(401, ENDED, headers=_challenge())
        return scope
    if patient.user_id != caller.user.pk:
        raise ApiError(401, ENDED, headers=_challenge())
    return RecordScope.whole(patient)


def _challenge(*, invalid: bool = True) -> dict[str, str]:
    # RFC 6750: a request with no token gets the challenge alone, without an error code.
    error = ', error="invalid_token"' if invalid else ""
    return {"WWW-Authenticate": f'Bearer realm="{fhir_base()}"{error}'}
