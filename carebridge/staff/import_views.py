"""Under construction: the staff import pages (upload, progress, patient-match review)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def import_upload(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def import_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def match_review_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def match_review(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
