"""Authorisation-matrix rows for the patient's billing pages.

The billing pages show the bills of whoever the viewer acts for with the "billing" scope: each
patient their own; Cora (every scope) Pat's, Paula Kit's, and Terry Tess's (the teen rules keep
billing open to a parent). Abe (appointments only) gets 404, audited as denied; staff (their
billing console is elsewhere), the signed-in visitor and the proxies whose access has ended act
on nobody's bills: 404.

One statement's pages and one payment's receipt are checked here with ids no statement or
payment has (the matrix builds a URL after its "nothing changed" snapshot, so it cannot make
one first): everyone signed in gets 404. Who gets a real statement or receipt of Pat's is
checked persona by persona, with the same snapshot, in
`carebridge/billing/tests/test_statement_views.py`, `test_receipts.py` and `test_questions.py`.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url

NO_SUCH_STATEMENT = "00000000-0000-4000-8000-000000000015"
NO_SUCH_PAYMENT = "00000000-0000-4000-8000-000000000016"
NOBODYS = expectations(NOT_FOUND)
BILL_VIEWERS = expectations(
    NOT_FOUND,
    patients=OK,
    proxies=OK,
    ended_proxies=NOT_FOUND,
    appointments_caregiver=NOT_FOUND,
)

ROUTES: list[Route] = [
    Route("billing:summary", url("billing:summary"), BILL_VIEWERS),
    Route("billing:history", url("billing:history"), BILL_VIEWERS),
    # Also a later page than the last: the last page is shown.
    Route("billing:history", lambda cast: "/billing/history/?page=99", BILL_VIEWERS),
    Route("billing:statement", url("billing:statement", NO_SUCH_STATEMENT), NOBODYS),
    Route("billing:statement-print", url("billing:statement-print", NO_SUCH_STATEMENT), NOBODYS),
    Route(
        "billing:statement-question", url("billing:statement-question", NO_SUCH_STATEMENT), NOBODYS
    ),
    Route(
        "billing:statement-question",
        url("billing:statement-question", NO_SUCH_STATEMENT),
        NOBODYS,
        method="post",
        data={"body": "Why was I charged?"},
    ),
    Route("billing:receipt", url("billing:receipt", NO_SUCH_PAYMENT), NOBODYS),
]
