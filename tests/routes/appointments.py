"""Authorisation-matrix rows for the appointments pages.

The appointments page shows the appointments of whoever the viewer acts for: each patient sees
their own; Cora (every scope) and Abe (appointments only) see Pat's, Paula sees Kit's, and Terry
sees Tess's (appointments stay open to a parent while the child is a teenager). Staff, the
signed-in visitor and the proxies whose access has ended act for nobody: 404.

The pages of one appointment booked in Carebridge are checked here with an appointment that
does not exist: the matrix builds a URL after its "nothing changed" snapshot, so it cannot make
one first. Everyone signed in gets 404 and nobody signed in is sent to log in; who gets a real
appointment of Pat's, Kit's or Tess's is checked persona by persona, with the same snapshot, in
`carebridge/scheduling/tests/test_booked_access_matrix.py`.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations, url

# An appointment id that no appointment has.
NO_SUCH_APPOINTMENT = "00000000-0000-4000-8000-000000000000"
NOBODYS = expectations(NOT_FOUND)
# Booking is for whoever may see the appointments: each patient for themselves; Cora, Abe,
# Paula and Terry for the person they act for.
BOOKERS = expectations(NOT_FOUND, patients=OK, proxies=OK, ended_proxies=NOT_FOUND)
# Without a kind of visit or a time chosen, a booker is sent back to step 1.
BACK_TO_STEP_1 = Expect(302, "/appointments/book/")
BOOKERS_BACK = expectations(
    NOT_FOUND, patients=BACK_TO_STEP_1, proxies=BACK_TO_STEP_1, ended_proxies=NOT_FOUND
)

ROUTES: list[Route] = [
    Route(
        "scheduling:appointments",
        url("scheduling:appointments"),
        expectations(NOT_FOUND, patients=OK, proxies=OK, ended_proxies=NOT_FOUND),
    ),
    Route("scheduling:book", url("scheduling:book"), BOOKERS),
    # An empty form: a booker gets the page back with its errors; nothing is stored.
    Route("scheduling:book", url("scheduling:book"), BOOKERS, method="post"),
    Route("scheduling:book-times", url("scheduling:book-times"), BOOKERS_BACK),
    Route("scheduling:book-confirm", url("scheduling:book-confirm"), BOOKERS_BACK),
    Route("scheduling:book-confirm", url("scheduling:book-confirm"), BOOKERS_BACK, method="post"),
    Route("scheduling:request", url("scheduling:request"), BOOKERS),
    # An empty form: a booker gets the page back with its errors; nothing is sent.
    Route("scheduling:request", url("scheduling:request"), BOOKERS, method="post"),
    Route(
        "scheduling:appointment-detail",
        url("scheduling:appointment-detail", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:appointment-ics",
        url("scheduling:appointment-ics", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:appointment-cancel",
        url("scheduling:appointment-cancel", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:appointment-cancel",
        url("scheduling:appointment-cancel", NO_SUCH_APPOINTMENT),
        NOBODYS,
        method="post",
        data={"reason": ""},
    ),
    Route(
        "scheduling:appointment-join",
        url("scheduling:appointment-join", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:appointment-reschedule",
        url("scheduling:appointment-reschedule", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:appointment-reschedule",
        url("scheduling:appointment-reschedule", NO_SUCH_APPOINTMENT),
        NOBODYS,
        method="post",
    ),
    # The pages of an appointment the clinic booked in its own system, by a record id no
    # resource has; who reaches a real one is checked in
    # `carebridge/scheduling/tests/test_clinic_booked_page.py`.
    Route(
        "scheduling:clinic-appointment",
        url("scheduling:clinic-appointment", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:clinic-appointment-ics",
        url("scheduling:clinic-appointment-ics", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:clinic-appointment-change",
        url("scheduling:clinic-appointment-change", NO_SUCH_APPOINTMENT),
        NOBODYS,
    ),
    Route(
        "scheduling:clinic-appointment-change",
        url("scheduling:clinic-appointment-change", NO_SUCH_APPOINTMENT),
        NOBODYS,
        method="post",
        data={"change": "cancel"},
    ),
]
