"""Authorisation-matrix rows for the first visit (issue 18 §5): the set-up checklist, the help
page's results section, My details and the front desk's review of address changes.

My details is open to the patients and to a caregiver or parent whose grant gives the account
scope today (Cora for Pat; Paula for Kit, under the age for full access); Abe (appointments
only) and Terry (a teen's parent: the teen rules take the account scope) get 404, like anyone
acting for nobody. Posts send forms with an error or an id that does not exist, so nothing
changes for anyone; posts that always record a checklist step for a patient (the checklist's
"How to read a result" and "These are right") are checked in their own tests
(carebridge/accounts/tests/test_checklist.py) and here only refuse a GET.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, TO_HOME, Expect, Route, expectations, url

MAY_CHANGE_DETAILS = expectations(NOT_FOUND, patients=OK, full_caregiver=OK, parent_of_child=OK)
TO_DETAILS = Expect(302, "/account/details/")
NOT_ALLOWED = Expect(405)
NOBODYS = expectations(NOT_FOUND)
NO_SUCH_CONTACT = 999_999
NO_SUCH_CHANGE = "00000000-0000-4000-8000-000000000000"
REVIEWERS = expectations(NOT_FOUND, front_desk=OK, clinic_admin=OK, other_clinic_admin=OK)
TO_HELP = Expect(302, "/help/")

ROUTES: list[Route] = [
    Route("accounts:welcome", url("accounts:welcome"), expectations(TO_HOME, patients=OK)),
    # An answer the page does not offer: the patient is sent back to it, nothing recorded.
    Route(
        "accounts:welcome",
        url("accounts:welcome"),
        expectations(TO_HOME, patients=Expect(302, "/account/welcome/")),
        method="post",
        data={"action": "bogus"},
    ),
    Route(
        "home:help-results",
        url("home:help-results"),
        expectations(TO_HELP, anonymous=TO_HELP, no_mfa=TO_HELP),
    ),
    Route("patients:details", url("patients:details"), MAY_CHANGE_DETAILS),
    Route(
        "patients:details-contact",
        url("patients:details-contact"),
        MAY_CHANGE_DETAILS,
        method="post",
        data={"contact-phone": "not a phone"},
    ),
    Route("patients:details-confirm", url("patients:details-confirm"), expectations(NOT_ALLOWED)),
    Route(
        "patients:emergency-contact-add",
        url("patients:emergency-contact-add"),
        MAY_CHANGE_DETAILS,
        method="post",
    ),
    Route(
        "patients:emergency-contact",
        url("patients:emergency-contact", NO_SUCH_CONTACT),
        NOBODYS,
    ),
    Route(
        "patients:emergency-contact",
        url("patients:emergency-contact", NO_SUCH_CONTACT),
        NOBODYS,
        method="post",
    ),
    Route(
        "patients:emergency-contact-remove",
        url("patients:emergency-contact-remove", NO_SUCH_CONTACT),
        NOBODYS,
        method="post",
    ),
    Route("patients:pharmacy", url("patients:pharmacy"), MAY_CHANGE_DETAILS, method="post"),
    # Nobody in the cast has a pharmacy to remove: the allowed are sent back to the page.
    Route(
        "patients:pharmacy-remove",
        url("patients:pharmacy-remove"),
        expectations(
            NOT_FOUND, patients=TO_DETAILS, full_caregiver=TO_DETAILS, parent_of_child=TO_DETAILS
        ),
        method="post",
    ),
    Route("staff:details-review-list", url("staff:details-review-list"), REVIEWERS),
    Route("staff:details-review", url("staff:details-review", NO_SUCH_CHANGE), NOBODYS),
    Route(
        "staff:details-review",
        url("staff:details-review", NO_SUCH_CHANGE),
        NOBODYS,
        method="post",
        data={"action": "accept"},
    ),
]
