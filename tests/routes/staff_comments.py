"""Authorisation-matrix rows for result comments, quick comments and staff-started messages
(issue 16).

Releasing one result needs `release_results` (clinicians); the cast holds no held result, so the
rows use an id that does not exist and everyone gets the 404 another clinic's result gives
(tested with real results in carebridge/staff/tests/test_result_comments.py). Quick comments
belong to clinic administrators, each seeing their own clinic's list; the POST row adds empty
words, refused (400) with nothing written. Writing to a patient is for our clinic's staff: the
cast's staff answer no care team, so the page says why and a post is refused (400) with nothing
sent (sending is tested in test_staff_messages.py); the other clinic's administrator gets 404
for our patient. Patients, caregivers and parents get the console's 404 everywhere.
"""

from __future__ import annotations

from django.urls import reverse

from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations, url
from carebridge.testing.personas import Cast

REFUSED = Expect(400)
MISSING_RESULT = 999999
NO_SUCH_PATIENT = "00000000-0000-4000-8000-000000000000"
ADMINS = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
ADMINS_REFUSED = expectations(NOT_FOUND, clinic_admin=REFUSED, other_clinic_admin=REFUSED)
OUR_STAFF = expectations(
    NOT_FOUND, clinician=OK, nurse=OK, front_desk=OK, billing=OK, clinic_admin=OK
)
OUR_STAFF_REFUSED = expectations(
    NOT_FOUND,
    clinician=REFUSED,
    nurse=REFUSED,
    front_desk=REFUSED,
    billing=REFUSED,
    clinic_admin=REFUSED,
)


def _pat_message(cast: Cast) -> str:
    return reverse("staff:patient-message", args=[cast.patient.pk])


ROUTES: list[Route] = [
    Route("staff:held-result", url("staff:held-result", MISSING_RESULT), expectations(NOT_FOUND)),
    Route(
        "staff:held-result",
        url("staff:held-result", MISSING_RESULT),
        expectations(NOT_FOUND),
        method="post",
        data={"choice": "own", "words": "Normal"},
    ),
    Route("staff:setup-quick-comments", url("staff:setup-quick-comments"), ADMINS),
    Route(
        "staff:setup-quick-comments",
        url("staff:setup-quick-comments"),
        ADMINS_REFUSED,
        method="post",
        data={"action": "add", "text": ""},
    ),
    Route("staff:patient-message", _pat_message, OUR_STAFF),
    Route(
        "staff:patient-message",
        _pat_message,
        OUR_STAFF_REFUSED,
        method="post",
        data={"subject": "Hello", "body": "Please book a visit."},
    ),
    Route(
        "staff:patient-message",
        url("staff:patient-message", NO_SUCH_PATIENT),
        expectations(NOT_FOUND),
    ),
]
