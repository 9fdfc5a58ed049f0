"""Refuse OAuth requests that carry a NUL character, before anything reads the database.

PostgreSQL cannot hold a NUL in a text value, so a `client_id=%00` that reaches a query is a
server error there (SQLite would merely find nothing). No client id, code, token, scope or
address ever contains one, so such a request is answered as the malformed request it is.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

View = Callable[..., HttpResponse]
# RFC 7636: an S256 challenge is the unpadded base64url of a SHA-256 digest, 43 characters.
_S256_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
# The longest nonce the toolkit keeps with a code.
NONCE_MOST = 255


def malformed_parameter(credentials: dict[str, Any]) -> str | None:
    """The name of an authorize parameter that cannot be right whoever sent it (a challenge that
    is not S256's, a nonce longer than can be kept), or None. Checked before anything is stored,
    so an odd value is an OAuth error sent back to the app, never a database error."""
    if not _S256_CHALLENGE.fullmatch(str(credentials.get("code_challenge") or "")):
        return "code_challenge"
    if len(str(credentials.get("nonce") or "")) > NONCE_MOST:
        return "nonce"
    return None


def has_nul(request: HttpRequest) -> bool:
    """Whether any parameter (query, form, or a Basic client credential) holds a NUL."""
    values = [value for _name, listed in request.GET.lists() for value in listed]
    if request.method == "POST":
        values += [value for _name, listed in request.POST.lists() for value in listed]
    credential = request.headers.get("Authorization", "")
    if credential[:6].lower() == "basic ":
        # A credential that is not base64 at all is the toolkit's to refuse.
        with contextlib.suppress(binascii.Error, ValueError):
            values.append(base64.b64decode(credential[6:]).decode("utf-8", "replace"))
    return any("\x00" in value for value in values)


def refuse_nul(view: View) -> View:
    """A toolkit endpoint that answers a request holding a NUL with OAuth's `invalid_request`."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if has_nul(request):
            return JsonResponse(
                {
                    "error": "invalid_request",
                    "error_description": "A parameter holds a character that is not allowed.",
                },
                status=400,
            )
        return view(request, *args, **kwargs)

    return guarded
