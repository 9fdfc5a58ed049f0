"""Authorisation-matrix rows for the patient's messaging pages.

The messages pages are for whoever the viewer acts for with the "messaging" scope: each patient
for themselves; Cora, Paula and Terry (every scope; messages stay open to a parent while the
child is a teenager) for the person they act for. Abe (appointments only) gets 404, as do staff
(their inbox is elsewhere), the signed-in visitor and the proxies whose access has ended.

A conversation's pages and a file's download are checked with ids that no thread or attachment
has (the matrix builds a URL after its "nothing changed" snapshot, so it cannot make one first):
everyone signed in gets 404. Who gets a real thread of Pat's is checked persona by persona in
`carebridge/messaging/tests/test_pages.py`.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url

NO_SUCH_THREAD = "00000000-0000-4000-8000-000000000001"
NO_SUCH_ATTACHMENT = "00000000-0000-4000-8000-000000000002"
NOBODYS = expectations(NOT_FOUND)
WRITERS = expectations(
    NOT_FOUND,
    patients=OK,
    proxies=OK,
    ended_proxies=NOT_FOUND,
    appointments_caregiver=NOT_FOUND,
)

ROUTES: list[Route] = [
    Route("messaging:threads", url("messaging:threads"), WRITERS),
    Route("messaging:compose", url("messaging:compose"), WRITERS),
    # An empty form: a writer gets the page back with its errors; nothing is stored.
    Route("messaging:compose", url("messaging:compose"), WRITERS, method="post"),
    Route("messaging:thread", url("messaging:thread", NO_SUCH_THREAD), NOBODYS),
    Route(
        "messaging:thread-reply",
        url("messaging:thread-reply", NO_SUCH_THREAD),
        NOBODYS,
        method="post",
        data={"body": "Hello"},
    ),
    Route(
        "messaging:attachment",
        url("messaging:attachment", NO_SUCH_THREAD, NO_SUCH_ATTACHMENT),
        NOBODYS,
    ),
]
