"""FHIR responses: JSON as `application/fhir+json`, and OperationOutcomes for every error.

Every error the API returns (400, 401, 403, 404, 405, 429) is an OperationOutcome with one
issue; its text names the parameter at fault, never any health information.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

FHIR_JSON = "application/fhir+json"
Json = dict[str, Any]

# The FHIR issue type for each status the API answers with.
_ISSUE_CODES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    429: "throttled",
}


class ApiError(Exception):
    """A request the API refuses: answered with `status` and an OperationOutcome."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def fhir_response(
    body: Json, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    """`body` as FHIR JSON; nothing the API returns may be cached by a shared cache."""
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=FHIR_JSON
    )
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def outcome(
    message: str, *, severity: str = "error", code: str = "invalid", expression: str = ""
) -> Json:
    """An OperationOutcome with one issue (`expression`: the search parameter it is about)."""
    issue: Json = {"severity": severity, "code": code, "diagnostics": message}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def error_response(error: ApiError) -> HttpResponse:
    body = outcome(error.message, code=_ISSUE_CODES.get(error.status, "processing"))
    return fhir_response(body, error.status, error.headers)


class BadParameterError(ApiError):
    """A search parameter whose value cannot be understood (400, naming the parameter)."""

    def __init__(self, name: str, message: str):
        # The name as the caller sent it, cut short: it is echoed back, never logged.
        super().__init__(400, f"{name[:64]}: {message}")
        self.name = name[:64]
