"""The FHIR API's views: metadata, read and search, each a GET answered in FHIR JSON.

Thin: access (`api_access`) -> read or search -> audit -> render. Errors of every kind are
OperationOutcomes with their status (`errors.ApiError`); no view answers with a page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from carebridge.fhir.api.access import api_access
from carebridge.fhir.api.capability import capability_statement
from carebridge.fhir.api.errors import ApiError, error_response, fhir_response
from carebridge.fhir.api.everything import everything as everything_bundle
from carebridge.fhir.api.resources import read_resource, served_type
from carebridge.fhir.api.searchset import parse_search, run_search
from carebridge.fhir.services.reads import record_api_read

View = Callable[..., HttpResponse]


def _fhir_get(view: View) -> View:
    """GET (and HEAD) only, no CSRF (bearer tokens, no cookies), ApiError as OperationOutcome."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            error = ApiError(405, "This server only reads: use GET.", headers={"Allow": "GET"})
            return error_response(error)
        try:
            return view(request, *args, **kwargs)
        except ApiError as error:
            return error_response(error)

    return wrapped


@_fhir_get
def metadata(request: HttpRequest) -> HttpResponse:
    """The CapabilityStatement (no token needed: apps read it before they have one)."""
    return fhir_response(capability_statement())


@_fhir_get
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    access = api_access(request)
    resource = read_resource(access, resource_type, resource_id)
    record_api_read(caller=access.caller, request=request)
    return fhir_response(resource)


@_fhir_get
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    access = api_access(request)
    served = served_type(resource_type)
    strict = "handling=strict" in request.headers.get("Prefer", "").replace(" ", "")
    wanted = parse_search(
        served,
        [(name, value) for name, values in request.GET.lists() for value in values],
        strict=strict,
    )
    result = run_search(access, served, wanted)
    if result.discloses_record:
        record_api_read(caller=access.caller, request=request)
    return fhir_response(result.bundle)


@_fhir_get
def everything(request: HttpRequest, patient_id: str) -> HttpResponse:
    """`Patient/<id>/$everything`: the patient's whole visible record, paged."""
    access = api_access(request)
    query = [(name, value) for name, values in request.GET.lists() for value in values]
    bundle = everything_bundle(access, patient_id, query)
    record_api_read(caller=access.caller, request=request)
    return fhir_response(bundle)


@_fhir_get
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Anything else under /fhir/: a 404 OperationOutcome rather than the portal's page."""
    raise ApiError(404, "There is nothing at this address.")
