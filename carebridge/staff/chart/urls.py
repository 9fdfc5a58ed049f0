"""The patient's page and chart in the console, spliced into `staff.urls`.

The chart has a page for every page of the record a patient sees (the same views, through
`access.chart_page`), named `staff:chart-<records name>`, except those that take a copy out of
the portal. Links inside the record pages find their chart page by that name (`records.links`).
"""

from __future__ import annotations

from django.urls import URLPattern, path

from carebridge.records import urls as record_urls
from carebridge.staff.chart import views
from carebridge.staff.chart.access import chart_page

# The record's pages that take a copy out of the portal: never in the chart.
NOT_IN_CHART = frozenset({"download", "print", "share"})
CHART = "patients/<uuid:patient_id>/chart/"


def _chart_patterns() -> list[URLPattern]:
    return [
        path(
            f"{CHART}{pattern.pattern}", chart_page(pattern.callback), name=f"chart-{pattern.name}"
        )
        for pattern in record_urls.urlpatterns
        if isinstance(pattern, URLPattern) and pattern.name not in NOT_IN_CHART
    ]


urlpatterns = [
    path("patients/<uuid:patient_id>/", views.patient_overview, name="patient"),
    *_chart_patterns(),
]
