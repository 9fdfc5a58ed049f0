"""Attach the acting context to every request, resolved lazily on first use."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from carebridge.proxies.acting import resolve_acting_context


class ActingForMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        request.acting = SimpleLazyObject(  # type: ignore[attr-defined]
            lambda: resolve_acting_context(user)
        )
        return self.get_response(request)
