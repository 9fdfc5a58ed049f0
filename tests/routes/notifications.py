"""Authorisation-matrix rows for the choice of e-mails about new messages: everyone signed in
has their own (it is about their account, not a patient's record); nobody signed in is sent to
log in. The POST row sends an invalid choice, so nothing is saved for anyone."""

from __future__ import annotations

from carebridge.testing.matrix import OK, Route, expectations, url

ROUTES: list[Route] = [
    Route("notifications:preferences", url("notifications:preferences"), expectations(OK)),
    Route(
        "notifications:preferences",
        url("notifications:preferences"),
        expectations(OK),
        method="post",
        data={"message_emails": "hourly"},
    ),
]
