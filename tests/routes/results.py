"""Authorisation-matrix rows for the health summary, test results, vital signs and the staff
page that releases held results (the matrix test collects them)."""

from __future__ import annotations

from django.urls import reverse

from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations, url
from carebridge.testing.personas import Cast

# A record page: each patient sees their own record; nobody else has one to see.
OWN_RECORD_PAGE = expectations(NOT_FOUND, patients=OK)
# One of Pat's results: Pat only; Sam asking for it gets the same 404 as for a missing one.
PATS_RESOURCE = expectations(NOT_FOUND, patient=OK)
CLINICIANS_ONLY = expectations(NOT_FOUND, clinician=OK)
ADMINS_ONLY = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
TO_SETTINGS = Expect(302, "/staff/results/settings/")


def pats_result(cast: Cast) -> str:
    assert cast.record is not None
    return reverse("records:result-detail", args=[cast.record.hba1c.pk])


def pats_report(cast: Cast) -> str:
    assert cast.record is not None
    return reverse("records:report-detail", args=[cast.record.report.pk])


def pats_trend(cast: Cast) -> str:
    assert cast.record is not None
    return reverse("records:test-trend", args=[cast.record.hba1c.pk])


ROUTES: list[Route] = [
    Route("records:summary", url("records:summary"), OWN_RECORD_PAGE),
    Route("records:results", url("records:results"), OWN_RECORD_PAGE),
    Route("records:result-detail", pats_result, PATS_RESOURCE),
    Route("records:report-detail", pats_report, PATS_RESOURCE),
    # The trend of one of Pat's results: Pat only.
    Route("records:test-trend", pats_trend, PATS_RESOURCE),
    Route("records:vitals", url("records:vitals"), OWN_RECORD_PAGE),
    Route("staff:held-results", url("staff:held-results"), CLINICIANS_ONLY),
    # Releasing nothing sends the clinician back to the list; everyone else gets a 404.
    Route(
        "staff:held-results",
        url("staff:held-results"),
        expectations(NOT_FOUND, clinician=Expect(302, "/staff/results/held/")),
        method="post",
    ),
    # Each clinic's administrators set their own clinic's release settings.
    Route("staff:release-settings", url("staff:release-settings"), ADMINS_ONLY),
    Route(
        "staff:release-settings",
        url("staff:release-settings"),
        expectations(NOT_FOUND, clinic_admin=TO_SETTINGS, other_clinic_admin=TO_SETTINGS),
        method="post",
        data={"categories": "laboratory"},
    ),
]
