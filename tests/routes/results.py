"""Authorisation-matrix rows for the health summary, test results, vital signs and the staff
page that releases held results (the matrix test collects them)."""

from __future__ import annotations

from django.urls import reverse

from carebridge.testing.matrix import (
    NOT_FOUND,
    OK,
    PATS_RESOURCE,
    Expect,
    Route,
    expectations,
    own_record,
    url,
)
from carebridge.testing.personas import Cast

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
    Route("records:summary", url("records:summary"), own_record("summary")),
    Route("records:results", url("records:results"), own_record("results")),
    Route("records:result-detail", pats_result, PATS_RESOURCE),
    Route("records:report-detail", pats_report, PATS_RESOURCE),
    # The trend of one of Pat's results: Pat, and Cora acting for her.
    Route("records:test-trend", pats_trend, PATS_RESOURCE),
    Route("records:vitals", url("records:vitals"), own_record("vitals")),
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
