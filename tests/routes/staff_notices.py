"""Authorisation-matrix rows for the console's undelivered e-mails page: clinic administrators
(of any clinic: each sees their own clinic's notices) may open it and retry; everyone else gets
the console's 404, and nobody signed in is sent to log in. The retry of one notice uses an id
that does not exist (404 for all); retrying all with none failed changes nothing."""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations, url

NO_SUCH_NOTICE = 999999
ADMINS_ONLY = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
TO_NOTICES = Expect(302, "/staff/notices/")

ROUTES: list[Route] = [
    Route("staff:notices", url("staff:notices"), ADMINS_ONLY),
    Route(
        "staff:notice-retry",
        url("staff:notice-retry", NO_SUCH_NOTICE),
        expectations(NOT_FOUND),
        method="post",
    ),
    Route(
        "staff:notices-retry-all",
        url("staff:notices-retry-all"),
        expectations(NOT_FOUND, clinic_admin=TO_NOTICES, other_clinic_admin=TO_NOTICES),
        method="post",
    ),
]
