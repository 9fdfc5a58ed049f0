"""Authorisation-matrix rows for the patient's payment plan and insurance pages (issue 15).

Billing pages go through `billing.access`: each patient sees their own; Cora (every scope)
sees Pat's, Paula sees Kit's, and Terry sees Tess's (the teen rules keep billing); Abe (Pat's
appointments only), visitors, staff and proxies whose access has ended get 404. The POST rows
send empty forms, so nothing is created for anyone (the cast owes nothing, so no plan can be
chosen). A card photo is asked for with an id that does not exist: 404 for everyone; who gets a
real one is tested in carebridge/billing/tests/test_insurance_views.py.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url

NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"
BILLING = expectations(
    NOT_FOUND, patients=OK, full_caregiver=OK, parent_of_child=OK, parent_of_teen=OK
)

ROUTES: list[Route] = [
    Route("billing:plan", url("billing:plan"), BILLING),
    Route("billing:plan", url("billing:plan"), BILLING, method="post"),
    Route("billing:insurance", url("billing:insurance"), BILLING),
    Route("billing:insurance-update", url("billing:insurance-update"), BILLING),
    Route("billing:insurance-update", url("billing:insurance-update"), BILLING, method="post"),
    Route(
        "billing:insurance-card",
        url("billing:insurance-card", NO_SUCH_ID, "front"),
        expectations(NOT_FOUND),
    ),
]
