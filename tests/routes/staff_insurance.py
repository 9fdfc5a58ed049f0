"""Authorisation-matrix rows for the front desk's insurance review and the billing office's
payment plan page (issue 15).

`billing.review_insurance`: front desk and clinic administrators (the other clinic's sees her
own, empty, queue). `billing.manage_billing`: billing staff and clinic administrators; the other
clinic's administrator gets 404 for our patient. One change and its photos are checked with an
id that does not exist (who gets a real one is tested in
carebridge/staff/tests/test_insurance_review.py). The POST rows send empty forms: nothing is
accepted, declined or set up.
"""

from __future__ import annotations

from django.urls import reverse

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url
from carebridge.testing.personas import Cast

NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"
REVIEWERS = expectations(NOT_FOUND, front_desk=OK, clinic_admin=OK, other_clinic_admin=OK)
OUR_BILLING_STAFF = expectations(NOT_FOUND, billing=OK, clinic_admin=OK)
NOBODYS = expectations(NOT_FOUND)


def pats_plan_url(cast: Cast) -> str:
    return reverse("staff:billing-plan", args=[cast.patient.pk])


ROUTES: list[Route] = [
    Route("staff:insurance-review-list", url("staff:insurance-review-list"), REVIEWERS),
    Route("staff:insurance-review", url("staff:insurance-review", NO_SUCH_ID), NOBODYS),
    Route(
        "staff:insurance-review",
        url("staff:insurance-review", NO_SUCH_ID),
        NOBODYS,
        method="post",
        data={"action": "accept"},
    ),
    Route("staff:insurance-card", url("staff:insurance-card", NO_SUCH_ID, "front"), NOBODYS),
    Route("staff:billing-plan", pats_plan_url, OUR_BILLING_STAFF),
    Route("staff:billing-plan", pats_plan_url, OUR_BILLING_STAFF, method="post"),
]
