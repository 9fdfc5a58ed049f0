"""Authorisation-matrix rows for the billing office's console (issue 15).

Billing staff (Bill) and clinic administrators (Ada) hold `billing.manage_billing`; the other
clinic's administrator holds it for her own clinic, so she sees her own (empty) balances and
day, and gets 404 for a patient of ours. Clinicians, nurses and the front desk (Fran reviews
insurance, but does not handle money), patients, caregivers and parents get the console's 404.
The refund page is checked with a payment id that does not exist (404 for all); who may refund
a real payment is tested in carebridge/staff/tests/test_billing_actions.py. The POST rows send
empty forms, so nothing is charged, paid or adjusted for anyone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from carebridge.staff.tests.billing_setup import PATIENT_PAGES
from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url
from carebridge.testing.personas import Cast

NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"
# Billing people of any clinic: each sees their own clinic's.
ANY_CLINICS_BILLING = expectations(NOT_FOUND, billing=OK, clinic_admin=OK, other_clinic_admin=OK)
# Billing people of our clinic only: the other clinic's administrator gets 404 for our patient.
OUR_BILLING = expectations(NOT_FOUND, billing=OK, clinic_admin=OK)


def _pats(name: str) -> Callable[[Cast], str]:
    def build(cast: Cast) -> str:
        return reverse(name, args=[cast.patient.pk])

    return build


ROUTES: list[Route] = [
    Route("staff:billing-balances", url("staff:billing-balances"), ANY_CLINICS_BILLING),
    Route(
        "staff:billing-balances",
        lambda cast: reverse("staff:billing-balances") + "?show=overdue",
        ANY_CLINICS_BILLING,
    ),
    *[Route(name, _pats(name), OUR_BILLING) for name in PATIENT_PAGES],
    *[
        Route(name, _pats(name), OUR_BILLING, method="post")
        for name in PATIENT_PAGES
        if name != "staff:billing-account"
    ],
    Route(
        "staff:billing-account",
        url("staff:billing-account", NO_SUCH_ID),
        expectations(NOT_FOUND),
    ),
    Route("staff:billing-refund", url("staff:billing-refund", NO_SUCH_ID), expectations(NOT_FOUND)),
    Route(
        "staff:billing-refund",
        url("staff:billing-refund", NO_SUCH_ID),
        expectations(NOT_FOUND),
        method="post",
        data={"amount": "1.00", "reason": "Test"},
    ),
    Route("staff:billing-reconciliation", url("staff:billing-reconciliation"), ANY_CLINICS_BILLING),
    Route(
        "staff:billing-reconciliation",
        lambda cast: reverse("staff:billing-reconciliation") + "?date=2026-03-08",
        ANY_CLINICS_BILLING,
    ),
    Route(
        "staff:billing-reconciliation-csv",
        url("staff:billing-reconciliation-csv"),
        ANY_CLINICS_BILLING,
    ),
]
