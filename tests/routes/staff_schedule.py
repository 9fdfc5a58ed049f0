"""Authorisation-matrix rows for the console's schedule pages (issue 5).

Front desk staff, nurses, clinicians and clinic administrators hold
`scheduling.manage_schedule`; billing staff do not, and get the console's 404 like patients and
caregivers. The other clinic's administrator sees her own clinic's (empty) schedule, and gets
404 for a patient of ours. The pages of one appointment, request or blocked time are checked
with ids that do not exist (the matrix builds a URL after its "nothing changed" snapshot, so it
cannot make one first); who gets a real one is tested in carebridge/staff/tests/. The POST rows
send empty forms, so nothing is created for anyone.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url
from carebridge.testing.personas import Cast

NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"
NO_SUCH_BLOCK = 999999
# Staff of any clinic whose role manages the schedule: each sees their own clinic's.
SCHEDULE_STAFF = expectations(
    NOT_FOUND,
    clinician=OK,
    nurse=OK,
    front_desk=OK,
    clinic_admin=OK,
    other_clinic_admin=OK,
)
# Staff of our clinic only: the other clinic's administrator gets 404 for our patient.
OUR_SCHEDULE_STAFF = expectations(NOT_FOUND, clinician=OK, nurse=OK, front_desk=OK, clinic_admin=OK)
NOBODYS = expectations(NOT_FOUND)


def book_for_pat_url(cast: Cast) -> str:
    return reverse("staff:schedule-book") + "?" + urlencode({"patient": cast.patient.pk})


ROUTES: list[Route] = [
    Route("staff:schedule-day", url("staff:schedule-day"), SCHEDULE_STAFF),
    Route(
        "staff:schedule-day",
        lambda cast: reverse("staff:schedule-day") + "?date=2026-03-08",
        SCHEDULE_STAFF,
    ),
    Route("staff:schedule-week", url("staff:schedule-week"), SCHEDULE_STAFF),
    Route(
        "staff:schedule-appointment",
        url("staff:schedule-appointment", NO_SUCH_ID),
        NOBODYS,
    ),
    Route(
        "staff:schedule-appointment",
        url("staff:schedule-appointment", NO_SUCH_ID),
        NOBODYS,
        method="post",
        data={"action": "arrived"},
    ),
    Route("staff:schedule-book", url("staff:schedule-book"), SCHEDULE_STAFF),
    Route("staff:schedule-book", book_for_pat_url, OUR_SCHEDULE_STAFF),
    # No patient chosen: the search page comes back with its error; nothing is booked.
    Route("staff:schedule-book", url("staff:schedule-book"), SCHEDULE_STAFF, method="post"),
    Route("staff:schedule-requests", url("staff:schedule-requests"), SCHEDULE_STAFF),
    Route("staff:schedule-request", url("staff:schedule-request", NO_SUCH_ID), NOBODYS),
    Route(
        "staff:schedule-request",
        url("staff:schedule-request", NO_SUCH_ID),
        NOBODYS,
        method="post",
        data={"action": "decline", "reply": "No"},
    ),
    Route("staff:schedule-block", url("staff:schedule-block"), SCHEDULE_STAFF),
    # An empty form: the page comes back with its errors; nothing is blocked.
    Route("staff:schedule-block", url("staff:schedule-block"), SCHEDULE_STAFF, method="post"),
    Route(
        "staff:schedule-block-remove",
        url("staff:schedule-block-remove", NO_SUCH_BLOCK),
        NOBODYS,
    ),
    Route(
        "staff:schedule-block-remove",
        url("staff:schedule-block-remove", NO_SUCH_BLOCK),
        NOBODYS,
        method="post",
    ),
]
