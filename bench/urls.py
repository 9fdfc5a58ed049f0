"""Carebridge's URLs plus the baseline: a bare Django page rendering a 50-row table."""

from django.shortcuts import render
from django.urls import include, path


def baseline(request):  # type: ignore[no-untyped-def]
    rows = [{"n": n, "label": f"Row {n}", "value": n * 3.5} for n in range(50)]
    return render(request, "bench/baseline.html", {"rows": rows})


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("carebridge.urls")),
]
