"""Authorisation-matrix rows for the console's message inbox and request queues (issue 6).

Every active member of staff may open the inbox (it lists only the teams they answer for, so
staff of no team see an empty page); patients, caregivers and parents get the console's 404.
The request queues are for the roles that answer each kind (`care_requests.ANSWERED_BY`):
refills and referrals for clinicians and nurses; copies of records also for the front desk and
clinic administrators (of any clinic: each sees their own clinic's queue). Billing staff
answer no kind, so the queue is a 404 for them. Pages of one thread, file or request are
checked with ids that do not exist (the matrix builds a URL after its "nothing changed"
snapshot, so it cannot make one first); who gets a real one is tested in
carebridge/staff/tests/test_inbox_*.py. The POST rows change nothing for anyone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations, url
from carebridge.testing.personas import Cast

NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"
STAFF = expectations(NOT_FOUND, staff=OK)
CLINICAL = expectations(NOT_FOUND, clinician=OK, nurse=OK)
RECORDS_STAFF = expectations(
    NOT_FOUND,
    clinician=OK,
    nurse=OK,
    front_desk=OK,
    clinic_admin=OK,
    other_clinic_admin=OK,
)
NOBODYS = expectations(NOT_FOUND)
# Each clinic's administrators set their own clinic's message settings.
ADMINS_ONLY = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
TO_MESSAGE_SETTINGS = Expect(302, "/staff/inbox/settings/")


def with_query(name: str, query: str) -> Callable[[Cast], str]:
    return lambda cast: reverse(name) + query


ROUTES: list[Route] = [
    Route("staff:inbox", url("staff:inbox"), STAFF),
    Route("staff:inbox", with_query("staff:inbox", "?status=closed&mine=on"), STAFF),
    # A team the viewer does not answer for (here: one that does not exist).
    Route("staff:inbox", with_query("staff:inbox", "?team=999999"), NOBODYS),
    Route("staff:inbox-thread", url("staff:inbox-thread", NO_SUCH_ID), NOBODYS),
    Route(
        "staff:inbox-thread",
        url("staff:inbox-thread", NO_SUCH_ID),
        NOBODYS,
        method="post",
        data={"action": "note", "note-body": "Checked."},
    ),
    Route(
        "staff:inbox-attachment",
        url("staff:inbox-attachment", NO_SUCH_ID, NO_SUCH_ID),
        NOBODYS,
    ),
    # No kind: the first kind the role answers; billing staff answer none.
    Route("staff:inbox-requests", url("staff:inbox-requests"), RECORDS_STAFF),
    Route("staff:inbox-requests", with_query("staff:inbox-requests", "?kind=refill"), CLINICAL),
    Route("staff:inbox-requests", with_query("staff:inbox-requests", "?kind=referral"), CLINICAL),
    Route(
        "staff:inbox-requests",
        with_query("staff:inbox-requests", "?kind=records"),
        RECORDS_STAFF,
    ),
    Route("staff:inbox-requests", with_query("staff:inbox-requests", "?kind=other"), NOBODYS),
    Route("staff:inbox-request", url("staff:inbox-request", NO_SUCH_ID), NOBODYS),
    Route(
        "staff:inbox-request",
        url("staff:inbox-request", NO_SUCH_ID),
        NOBODYS,
        method="post",
        data={"action": "approve"},
    ),
    Route("staff:message-settings", url("staff:message-settings"), ADMINS_ONLY),
    Route(
        "staff:message-settings",
        url("staff:message-settings"),
        expectations(
            NOT_FOUND, clinic_admin=TO_MESSAGE_SETTINGS, other_clinic_admin=TO_MESSAGE_SETTINGS
        ),
        method="post",
        data={"reply_days": "3"},
    ),
]
