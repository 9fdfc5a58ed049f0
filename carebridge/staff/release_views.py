"""Under construction: held results waiting for a clinician to release them."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def held_results(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
