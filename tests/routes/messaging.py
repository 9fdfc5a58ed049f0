"""Authorisation-matrix rows for the patient's messaging pages.

The messages pages are for whoever the viewer acts for with the "messaging" scope: each patient
for themselves; Cora, Paula and Terry (every scope; messages stay open to a parent while the
child is a teenager) for the person they act for. Abe (appointments only) gets 404, as do staff
(their inbox is elsewhere), the signed-in visitor and the proxies whose access has ended.

A conversation's pages and a file's download are checked with ids that no thread or attachment
has (the matrix builds a URL after its "nothing changed" snapshot, so it cannot make one first):
everyone signed in gets 404. Who gets a real thread of Pat's is checked persona by persona in
`carebridge/messaging/tests/test_pages.py`; that Terry gets 404 for a thread Tess (15) started
herself, on every URL, and does not see it in the list, search or counts unless she shares her
messages, in `carebridge/messaging/tests/test_teen_confidentiality.py`.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations, url

NO_SUCH_THREAD = "00000000-0000-4000-8000-000000000001"
NO_SUCH_ATTACHMENT = "00000000-0000-4000-8000-000000000002"
NO_SUCH_DRAFT = "00000000-0000-4000-8000-000000000003"
NOBODYS = expectations(NOT_FOUND)
WRITERS = expectations(
    NOT_FOUND,
    patients=OK,
    proxies=OK,
    ended_proxies=NOT_FOUND,
    appointments_caregiver=NOT_FOUND,
)

# With no search kept for the patient, the search page sends a writer back to the list; posting
# no words clears the search and does the same (only the session changes).
BACK_TO_LIST = expectations(
    NOT_FOUND,
    patients=Expect(302, "/messages/"),
    proxies=Expect(302, "/messages/"),
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
    Route("messaging:search", url("messaging:search"), BACK_TO_LIST),
    Route(
        "messaging:search", url("messaging:search"), BACK_TO_LIST, method="post", data={"text": ""}
    ),
    Route("messaging:draft", url("messaging:draft", NO_SUCH_DRAFT), NOBODYS),
    Route(
        "messaging:draft",
        url("messaging:draft", NO_SUCH_DRAFT),
        NOBODYS,
        method="post",
        data={"action": "send", "body": "Hello"},
    ),
    Route(
        "messaging:draft-delete",
        url("messaging:draft-delete", NO_SUCH_DRAFT),
        NOBODYS,
        method="post",
    ),
    Route(
        "messaging:thread-archive",
        url("messaging:thread-archive", NO_SUCH_THREAD),
        NOBODYS,
        method="post",
        data={"action": "archive"},
    ),
    Route(
        "messaging:attachment",
        url("messaging:attachment", NO_SUCH_THREAD, NO_SUCH_ATTACHMENT),
        NOBODYS,
    ),
]
