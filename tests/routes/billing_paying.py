"""Authorisation-matrix rows for paying online (issue 15): the Pay form, the pages the provider
sends the payer back to, the test provider's page, the webhooks and guest pay.

The cast has no bills, so the Pay form says there is nothing to pay; who may pay a real bill,
and that a refused payment changes nothing, is checked persona by persona in
`carebridge/billing/tests/test_checkout.py` and `test_guest_pay.py`. Payment pages are built
with a payment that does not exist: everyone signed in gets 404.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations, url

NO_SUCH_PAYMENT = "00000000-0000-4000-8000-000000000015"
BAD_REQUEST = Expect(400)

# The patient's bills: Pat and Sam their own, Cora for Pat and Paula for Kit (every scope),
# Terry for Tess (the teen rules keep billing); Abe, whose grant is for appointments only, gets
# 404 (audited as denied), as do staff and everyone acting for nobody.
BILLING_PAGE = expectations(
    NOT_FOUND,
    patients=OK,
    full_caregiver=OK,
    parent_of_child=OK,
    parent_of_teen=OK,
)
NOBODYS_PAYMENT = expectations(NOT_FOUND)
# Pages that need no account: the same for everyone, but staff who must set up two-step
# verification are sent to do so first, as everywhere.
OPEN_PAGE = expectations(OK, anonymous=OK)
OPEN_NOT_FOUND = expectations(NOT_FOUND, anonymous=NOT_FOUND)

ROUTES: list[Route] = [
    Route("billing:pay", url("billing:pay"), BILLING_PAGE),
    Route(
        "billing:pay",
        url("billing:pay"),
        BILLING_PAGE,
        method="post",
        data={"choice": "whole", "key": "matrix-key-0000000001"},
    ),
    Route(
        "billing:payment-return",
        url("billing:payment-return", NO_SUCH_PAYMENT),
        NOBODYS_PAYMENT,
    ),
    Route(
        "billing:payment-cancelled",
        url("billing:payment-cancelled", NO_SUCH_PAYMENT),
        NOBODYS_PAYMENT,
    ),
    Route(
        "billing:test-provider",
        url("billing:test-provider", "tp_no-such-checkout"),
        OPEN_NOT_FOUND,
    ),
    Route(
        "billing:test-provider",
        url("billing:test-provider", "tp_no-such-checkout"),
        OPEN_NOT_FOUND,
        method="post",
        data={"card_number": "4242424242424242", "pay": "1"},
    ),
    # A delivery without a valid signature is refused and changes nothing, whoever sends it.
    Route(
        "billing:webhook",
        url("billing:webhook", "test"),
        expectations(BAD_REQUEST, anonymous=BAD_REQUEST),
        method="post",
        data={"id": "evt_forged", "type": "payment.succeeded"},
    ),
    Route("billing:guest-pay", url("billing:guest-pay"), OPEN_PAGE),
    # Wrong details: the same plain answer for everyone, and nothing changed.
    Route(
        "billing:guest-pay",
        url("billing:guest-pay"),
        OPEN_PAGE,
        method="post",
        data={"step": "find", "number": "0000-0000-00", "birth_date": "1956-03-14"},
    ),
    Route(
        "billing:guest-payment-return",
        url("billing:guest-payment-return", NO_SUCH_PAYMENT),
        OPEN_NOT_FOUND,
    ),
    Route(
        "billing:guest-payment-cancelled",
        url("billing:guest-payment-cancelled", NO_SUCH_PAYMENT),
        OPEN_NOT_FOUND,
    ),
]
