"""Authorisation-matrix rows for the language switch and the account's Language page. The
switch is for everyone, signed in or not (and for staff sent to set up two-step verification),
and goes back to the portal's front page when no page is named; the Language page is for anyone
signed in. The POST rows send a language the portal does not offer, so nothing is saved."""

from __future__ import annotations

from carebridge.testing.matrix import OK, TO_HOME, TO_LOGIN, Route, expectations, url

ROUTES: list[Route] = [
    Route(
        "accounts:language-switch",
        url("accounts:language-switch"),
        expectations(TO_HOME, anonymous=TO_LOGIN, no_mfa=TO_HOME),
        method="post",
        data={"language": "xx"},
    ),
    Route("accounts:language", url("accounts:language"), expectations(OK)),
    Route(
        "accounts:language",
        url("accounts:language"),
        expectations(OK),
        method="post",
        data={"language": "xx"},
    ),
]
