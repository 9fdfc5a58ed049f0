"""Under construction: each view raises 404 until it is built."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def result_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def result_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def report_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def test_trend(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def vitals(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
