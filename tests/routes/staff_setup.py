"""Authorisation-matrix rows for the clinic set-up pages (issue 16) and the clinic's logo and
colours.

Clinic administrators (Ada) hold `manage_clinic`; the other clinic's administrator holds it for
her own clinic, so she sees her own clinic's pages, and gets 404 for a place or clinician that
is not hers. Everyone else (other staff, patients, caregivers, parents) gets the console's 404.
A place or clinician's own page is checked with an id that does not exist (the matrix builds
a URL after its "nothing changed" snapshot, so it cannot make one first): 404 for all; who gets
a real one, and the other clinic's administrator's 404 for ours, are tested in
carebridge/staff/tests/test_setup_places.py and test_setup_clinicians.py. The POST rows send
empty forms, so nothing is saved for anyone.

The logo and colours need no sign-in (the sign-in page shows them): the colours of an existing
clinic are served to everyone; a clinic without a logo has none to serve (404 for all).
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url

NO_SUCH_ID = 999999
ADMINS = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
NOBODYS = expectations(NOT_FOUND)
EVERYONE = expectations(OK, anonymous=OK, no_mfa=OK)
NOBODY_EVEN_SIGNED_OUT = expectations(NOT_FOUND, anonymous=NOT_FOUND, no_mfa=NOT_FOUND)

_PAGES = [
    "staff:setup",
    "staff:setup-clinic",
    "staff:setup-logo",
    "staff:setup-patients",
    "staff:setup-places",
    "staff:setup-place-add",
    "staff:setup-clinicians",
    "staff:setup-clinician-add",
]
_FORMS = [
    "staff:setup-clinic",
    "staff:setup-logo",
    "staff:setup-patients",
    "staff:setup-place-add",
    "staff:setup-clinician-add",
]
_OBJECTS = ["staff:setup-place", "staff:setup-place-remove", "staff:setup-clinician"]

ROUTES: list[Route] = [
    *[Route(name, url(name), ADMINS) for name in _PAGES],
    *[Route(name, url(name), ADMINS, method="post") for name in _FORMS],
    *[Route(name, url(name, NO_SUCH_ID), NOBODYS) for name in _OBJECTS],
    *[Route(name, url(name, NO_SUCH_ID), NOBODYS, method="post") for name in _OBJECTS],
    Route("brand:colours", url("brand:colours", "riverside", 1), EVERYONE),
    Route("brand:colours", url("brand:colours", "nowhere", 1), NOBODY_EVEN_SIGNED_OUT),
    Route("brand:logo", url("brand:logo", "riverside", 1), NOBODY_EVEN_SIGNED_OUT),
]
