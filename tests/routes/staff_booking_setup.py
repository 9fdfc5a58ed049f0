"""Authorisation-matrix rows for the booking set-up pages (issue 16): visit types and weekly
hours.

Only clinic administrators hold `clinic.manage_clinic`: Ada gets her clinic's pages, and Olive
(the other clinic's administrator) gets her own clinic's (empty) lists. Clinicians, nurses, the
front desk, billing, patients, caregivers and parents get the console's 404. The pages of one
visit type, clinician or block of hours are checked with ids that do not exist (the matrix
builds a URL after its "nothing changed" snapshot, so it cannot make one first); that another
clinic's real ids give 404 is tested in carebridge/staff/tests/test_booking_setup_*.py. The POST
rows send empty forms, so nothing is added or removed for anyone.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url

NO_SUCH_ID = 999999
# Administrators of any clinic: each sees their own clinic's set-up.
ANY_CLINICS_ADMIN = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
NOBODYS = expectations(NOT_FOUND)

ROUTES: list[Route] = [
    Route("staff:setup-visit-types", url("staff:setup-visit-types"), ANY_CLINICS_ADMIN),
    Route("staff:setup-visit-type-add", url("staff:setup-visit-type-add"), ANY_CLINICS_ADMIN),
    # An empty form: the page comes back with its errors; nothing is added.
    Route(
        "staff:setup-visit-type-add",
        url("staff:setup-visit-type-add"),
        ANY_CLINICS_ADMIN,
        method="post",
    ),
    Route("staff:setup-visit-type-edit", url("staff:setup-visit-type-edit", NO_SUCH_ID), NOBODYS),
    Route(
        "staff:setup-visit-type-edit",
        url("staff:setup-visit-type-edit", NO_SUCH_ID),
        NOBODYS,
        method="post",
    ),
    Route(
        "staff:setup-visit-type-remove",
        url("staff:setup-visit-type-remove", NO_SUCH_ID),
        NOBODYS,
    ),
    Route(
        "staff:setup-visit-type-remove",
        url("staff:setup-visit-type-remove", NO_SUCH_ID),
        NOBODYS,
        method="post",
    ),
    Route("staff:setup-hours", url("staff:setup-hours"), ANY_CLINICS_ADMIN),
    Route("staff:setup-hours-clinician", url("staff:setup-hours-clinician", NO_SUCH_ID), NOBODYS),
    Route(
        "staff:setup-hours-clinician",
        url("staff:setup-hours-clinician", NO_SUCH_ID),
        NOBODYS,
        method="post",
    ),
    Route(
        "staff:setup-hours-remove",
        url("staff:setup-hours-remove", NO_SUCH_ID, NO_SUCH_ID),
        NOBODYS,
        method="post",
    ),
]
