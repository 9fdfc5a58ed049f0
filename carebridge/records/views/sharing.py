"""Under construction: each view raises 404 until it is built."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def share(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def open_shared(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
