"""Authorisation-matrix rows for the waitlist pages (issue 5).

Joining for a new booking is for whoever may book: each patient for themselves; Cora, Abe,
Paula and Terry for the person they act for. Without a kind of visit chosen (`?type=`), they
are sent back to step 1 of booking; staff, the signed-in visitor and the proxies whose access
has ended act for nobody and get 404.

The pages of one appointment, entry or offer are checked with ids that nothing has (the matrix
builds a URL after its "nothing changed" snapshot, so it cannot make one first): everyone
signed in gets 404 and nobody signed in is sent to log in. Who gets a real entry or offer, and
that another patient's is a 404, is tested in carebridge/scheduling/tests/test_waitlist_pages.py.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, Expect, Route, expectations, url

NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"
NOBODYS = expectations(NOT_FOUND)
BACK_TO_STEP_1 = Expect(302, "/appointments/book/")
BOOKERS_BACK = expectations(
    NOT_FOUND, patients=BACK_TO_STEP_1, proxies=BACK_TO_STEP_1, ended_proxies=NOT_FOUND
)

ROUTES: list[Route] = [
    Route("scheduling:waitlist-join", url("scheduling:waitlist-join"), BOOKERS_BACK),
    Route("scheduling:waitlist-join", url("scheduling:waitlist-join"), BOOKERS_BACK, method="post"),
    Route(
        "scheduling:appointment-waitlist",
        url("scheduling:appointment-waitlist", NO_SUCH_ID),
        NOBODYS,
    ),
    Route(
        "scheduling:appointment-waitlist",
        url("scheduling:appointment-waitlist", NO_SUCH_ID),
        NOBODYS,
        method="post",
    ),
    Route("scheduling:waitlist-leave", url("scheduling:waitlist-leave", NO_SUCH_ID), NOBODYS),
    Route(
        "scheduling:waitlist-leave",
        url("scheduling:waitlist-leave", NO_SUCH_ID),
        NOBODYS,
        method="post",
    ),
    Route("scheduling:waitlist-offer", url("scheduling:waitlist-offer", NO_SUCH_ID), NOBODYS),
    Route(
        "scheduling:waitlist-offer",
        url("scheduling:waitlist-offer", NO_SUCH_ID),
        NOBODYS,
        method="post",
        data={"answer": "accept"},
    ),
]
