"""Authorisation-matrix rows for the patient's requests from the record (refills, referrals,
copies of records).

They belong to the messaging pages and follow their rule: whoever the viewer acts for with the
"messaging" scope. Each patient for themselves; Cora, Paula and Terry (every scope; messages
stay open to a parent while the child is a teenager) for the person they act for. Abe
(appointments only) gets 404, as do staff (their queues are in the console), the signed-in
visitor and the proxies whose access has ended.

A request's page is checked with an id that no request has (the matrix builds a URL after its
"nothing changed" snapshot, so it cannot make one first): everyone signed in gets 404. Who sees
a real request of Pat's is checked persona by persona in
`carebridge/messaging/tests/test_request_pages.py`.
"""

from __future__ import annotations

from carebridge.testing.matrix import Route, url
from tests.routes.messaging import NOBODYS, WRITERS

NO_SUCH_REQUEST = "00000000-0000-4000-8000-000000000004"
FORMS = ("messaging:request-refill", "messaging:request-referral", "messaging:request-records")

ROUTES: list[Route] = [
    Route("messaging:requests", url("messaging:requests"), WRITERS),
    Route("messaging:request-new", url("messaging:request-new"), WRITERS),
    *(Route(name, url(name), WRITERS) for name in FORMS),
    # An empty form: a writer gets the page back with its errors; nothing is stored.
    *(Route(name, url(name), WRITERS, method="post") for name in FORMS),
    Route("messaging:request", url("messaging:request", NO_SUCH_REQUEST), NOBODYS),
    Route(
        "messaging:request-withdraw",
        url("messaging:request-withdraw", NO_SUCH_REQUEST),
        NOBODYS,
        method="post",
    ),
]
