"""Under construction: each view raises 404 until it is built."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def health_summary(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
