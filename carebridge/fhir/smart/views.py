"""The authorize step of SMART App Launch (the consent page), and the smart-configuration document.

`/o/authorize/` is ours, not django-oauth-toolkit's: it refuses staff, refuses an app the
patient's clinic does not offer with a page of its own (never a redirect to an address nobody
verified), lets a caregiver or parent first choose whose record, and offers only the parts of the
record the person may see. Errors in a verified request go back to the app (OAuth 2.0 section
4.1.2.1). The token, revocation, introspection and OpenID Connect endpoints are the toolkit's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.models import Application
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauthlib.oauth2.rfc6749 import errors

from carebridge.core.actor import Actor
from carebridge.core.http import AuthenticatedRequest
from carebridge.fhir.scopes import ScopeSet
from carebridge.fhir.smart import services
from carebridge.fhir.smart.configuration import smart_configuration
from carebridge.fhir.smart.forms import ConsentForm
from carebridge.fhir.smart.guards import has_nul, malformed_parameter
from carebridge.fhir.smart.parts import granted_scope, requested_parts
from carebridge.fhir.smart.people import Person, list_people
from carebridge.fhir.smart.validator import CONNECTION_ATTRIBUTE

# The query parameter (ours, not OAuth's) naming whose record a caregiver or parent chose.
RECORD_OF = "record_of"


@require_GET
def smart_configuration_view(request: HttpRequest) -> JsonResponse:
    """The SMART configuration document: public, the same for everyone."""
    response = JsonResponse(smart_configuration())
    response["Cache-Control"] = "public, max-age=3600"
    # Apps that run in a browser read it from their own origin; it holds nothing private.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def authorize(request: AuthenticatedRequest) -> HttpResponse:
    """Ask the signed-in patient (or their caregiver or parent) whether the app may read the
    record, and which parts; "Allow" connects the app and sends the app its code.

    Privacy rule: only the user's own record and the records of people they act for today, in
    the app's clinic, can be connected, and only the parts they may see on the record pages.
    Audit: connecting is audited by `services.connect_app`; the page itself shows no record data.
    """
    if request.acting.is_staff:
        return _refuse(request, "staff", status=403)
    if has_nul(request):
        return _refuse(request, "unknown_app")
    application = _offered_app(request.GET.get("client_id", ""))
    if application is None:
        return _refuse(request, "unknown_app")
    core = get_oauthlib_core()
    try:
        scopes, credentials = core.validate_authorization_request(request)
    except FatalClientError:
        return _refuse(request, "unknown_app")
    except OAuthToolkitError as error:
        return _back_to_app(error.oauthlib_error, application)
    credentials.pop("request", None)
    malformed = malformed_parameter(credentials)
    if malformed is not None:
        refusal = errors.InvalidRequestError(
            description=f"{malformed} is not well formed.", state=credentials.get("state")
        )
        refusal.redirect_uri = credentials["redirect_uri"]
        return _back_to_app(refusal, application)
    people = list_people(request.user, application.registration.clinic)
    if not people:
        return _refuse(request, "nobody", status=403)
    person = _chosen(people, request.GET.get(RECORD_OF, ""))
    if person is None:
        return _choose_page(request, application, people)
    return _consent(request, application, person, scopes, credentials)


def _consent(
    request: AuthenticatedRequest,
    application: Application,
    person: Person,
    scopes: list[str],
    credentials: dict[str, Any],
) -> HttpResponse:
    asked = requested_parts(ScopeSet.parse(" ".join(scopes)))
    offered = [part for part in asked if person.may_share(part.record_part)]
    if not asked:
        error = errors.InvalidScopeError(
            description="No scope asks for a part of the record this server can share.",
            state=credentials.get("state"),
        )
        error.redirect_uri = credentials["redirect_uri"]
        return _back_to_app(error, application)
    if not offered:
        return _refuse(request, "nothing_to_share", status=403)
    form = ConsentForm(request.POST or None, offered=offered)
    if request.method == "POST":
        if request.POST.get("decision") == "deny":
            return _answer(request, application, [], credentials, allow=False)
        if form.is_valid():
            granted = granted_scope(" ".join(scopes), form.cleaned_data["parts"])
            return _allow(request, application, person, granted, credentials)
    context = {
        "form": form,
        "app_name": application.name,
        "registration": application.registration,
        "person": person,
        "unavailable": [part for part in asked if part not in offered],
        "keeps_reading": ScopeSet.parse(" ".join(scopes)).has_offline_access,
    }
    response = render(request, "fhir/authorize_consent.html", context)
    _let_the_form_return_to(response, credentials["redirect_uri"])
    return response


def _let_the_form_return_to(response: HttpResponse, redirect_uri: str) -> None:
    """Allow the consent form's answer to redirect to the app's verified redirect address.

    The portal's policy lets forms submit only to itself (`form-action 'self'`), and browsers
    apply that to the redirect that follows a submission too: without the app's origin here,
    "Allow" and "Deny" would never reach the app. The address was checked against the app's
    registered ones before this page was drawn.
    """
    parts = urlsplit(redirect_uri)
    origin = f"{parts.scheme}://{parts.netloc}"
    policy = settings.CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )
    response["Content-Security-Policy"] = policy


def _allow(
    request: AuthenticatedRequest,
    application: Application,
    person: Person,
    granted: str,
    credentials: dict[str, Any],
) -> HttpResponse:
    actor = Actor(user=request.user, acting_as=person.acting_as, request=request)
    try:
        with transaction.atomic():
            connection = services.connect_app(
                actor=actor,
                application=application,
                patient=person.patient,
                scope=granted,
                acting_as=person.acting_as,
            )
            credentials[CONNECTION_ATTRIBUTE] = connection
            uri, _headers, _body, _status = get_oauthlib_core().create_authorization_response(
                request, granted.split(), credentials, True
            )
    except OAuthToolkitError as error:
        return _back_to_app(error.oauthlib_error, application)
    return OAuth2ResponseRedirect(uri, application.get_allowed_schemes())


def _answer(
    request: AuthenticatedRequest,
    application: Application,
    scopes: list[str],
    credentials: dict[str, Any],
    *,
    allow: bool,
) -> HttpResponse:
    try:
        get_oauthlib_core().create_authorization_response(request, scopes, credentials, allow)
    except OAuthToolkitError as error:
        return _back_to_app(error.oauthlib_error, application)
    raise AssertionError("a refusal always raises")  # pragma: no cover


def _offered_app(client_id: str) -> Application | None:
    """The app with this client id, when a clinic offers it to its patients."""
    if not client_id:
        return None
    return (
        Application.objects.select_related("registration__clinic")
        .filter(client_id=client_id, registration__is_active=True)
        .first()
    )


def _chosen(people: list[Person], record_of: str) -> Person | None:
    if len(people) == 1 and not record_of:
        return people[0]
    return next((person for person in people if str(person.patient.pk) == record_of), None)


def _choose_page(
    request: AuthenticatedRequest, application: Application, people: list[Person]
) -> HttpResponse:
    choices = []
    for person in people:
        query = request.GET.copy()
        query[RECORD_OF] = str(person.patient.pk)
        choices.append((person, "?" + query.urlencode()))
    context = {"app_name": application.name, "choices": choices}
    return render(request, "fhir/authorize_choose.html", context)


def _back_to_app(error: errors.OAuth2Error, application: Application) -> HttpResponse:
    """The error, sent to the app at its verified redirect URI."""
    return OAuth2ResponseRedirect(
        error.in_uri(error.redirect_uri), application.get_allowed_schemes()
    )


def _refuse(request: HttpRequest, reason: str, *, status: int = 400) -> HttpResponse:
    return render(request, "fhir/authorize_refused.html", {"reason": reason}, status=status)
