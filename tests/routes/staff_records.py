"""Authorisation-matrix rows for the staff import pages (the matrix test collects them).

Only clinic administrators import records and decide patient matches; each sees their own
clinic's. The cast holds no import job or match review, so the detail rows use ids that do
not exist: everyone gets the same 404 a job of another clinic gives (tested with real jobs
and reviews in carebridge/staff/tests/test_import_views.py).
"""

from __future__ import annotations

import uuid

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url

ADMINS_ONLY = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
MISSING_JOB = uuid.UUID("00000000-0000-4000-8000-000000000000")
MISSING_REVIEW = 999999

ROUTES: list[Route] = [
    Route("staff:import-upload", url("staff:import-upload"), ADMINS_ONLY),
    # An upload with no file: the form's error for admins, and nothing stored for anyone.
    Route("staff:import-upload", url("staff:import-upload"), ADMINS_ONLY, method="post"),
    Route("staff:import-detail", url("staff:import-detail", MISSING_JOB), expectations(NOT_FOUND)),
    Route(
        "staff:import-retry",
        url("staff:import-retry", MISSING_JOB),
        expectations(NOT_FOUND),
        method="post",
    ),
    Route("staff:match-review-list", url("staff:match-review-list"), ADMINS_ONLY),
    Route("staff:match-review", url("staff:match-review", MISSING_REVIEW), expectations(NOT_FOUND)),
    Route(
        "staff:match-review",
        url("staff:match-review", MISSING_REVIEW),
        expectations(NOT_FOUND),
        method="post",
        data={"decision": "same"},
    ),
]
