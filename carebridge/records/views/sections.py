"""Under construction: each view raises 404 until it is built."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def medications(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def allergies(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def immunizations(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def problems(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def procedures(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def visits(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def visit_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def documents(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def document_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def care_team(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def care_plans(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
