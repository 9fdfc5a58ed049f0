"""Authorisation-matrix rows for the online check-in page (issue 5).

As for the other pages of one appointment (see `tests/routes/appointments.py`), the matrix
builds its URL after its "nothing changed" snapshot, so it checks the page with an appointment
that does not exist: everyone signed in gets 404 and nobody signed in is sent to log in. Who
gets a real appointment of Pat's, Kit's or Tess's, and that a denied check-in changes nothing,
is checked persona by persona in `carebridge/scheduling/tests/test_checkin_access.py`; for an
appointment the clinic booked in its own system, in
`carebridge/scheduling/tests/test_clinic_checkin.py`.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, Route, expectations, url
from tests.routes.appointments import NO_SUCH_APPOINTMENT

NOBODYS = expectations(NOT_FOUND)

ROUTES: list[Route] = [
    Route(
        "scheduling:appointment-check-in",
        url("scheduling:appointment-check-in", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:appointment-check-in",
        url("scheduling:appointment-check-in", NO_SUCH_APPOINTMENT),
        NOBODYS,
        method="post",
        data={"contact_confirmed": "on", "self_pay": "on"},
    ),
    Route(
        "scheduling:clinic-appointment-check-in",
        url("scheduling:clinic-appointment-check-in", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:clinic-appointment-check-in",
        url("scheduling:clinic-appointment-check-in", NO_SUCH_APPOINTMENT),
        NOBODYS,
        method="post",
        data={"contact_confirmed": "on", "self_pay": "on"},
    ),
]
