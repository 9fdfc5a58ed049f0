"""Carebridge's URLs plus the bench's yardstick: a bare Django page.

The bare page is what the bench compares every page with: signed out (the bench sends no
cookie), it reads 50 rows with ONE query — the first 50 clinical resources by primary key,
three columns, read through the primary key's index with LIMIT 50 — and renders them through
one template, without the request (so no context processor runs and no CSRF token or session
is touched). Nothing is written: the page costs one query (`tests/test_bench_baseline.py`).
"""

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import include, path

from carebridge.records.models import ClinicalResource


def bare_page(request: HttpRequest) -> HttpResponse:
    rows = ClinicalResource.objects.order_by("id").values_list("id", "code", "effective_at")[:50]
    page = loader.get_template("bench/baseline.html").render({"rows": rows})
    return HttpResponse(page)


urlpatterns = [
    path("bench/baseline/", bare_page),
    path("", include("carebridge.urls")),
]
