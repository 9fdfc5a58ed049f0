"""Authorisation-matrix rows for the caregiver pages: the patient's, the proxy's, the teen's.

Posts that would change something for an allowed persona use data or a grant that leaves
everything as it was (an empty form, an access that has already ended), so every row can check
that nothing changed. Valid invitation links are tested in the proxies app's own tests.
"""

from __future__ import annotations

from django.urls import reverse

from carebridge.testing.matrix import (
    NOT_FOUND,
    OK,
    TO_HOME,
    Expect,
    Route,
    expectations,
    url,
)
from carebridge.testing.personas import Cast

# Only the patients themselves (Pat, Sam) have a record of their own to manage.
OWN_RECORD_ONLY = expectations(NOT_FOUND, patients=OK)
TO_CAREGIVERS = Expect(302, "/account/caregivers/")
TO_HELPING = Expect(302, "/account/helping/")
NOT_ALLOWED = Expect(405)


def grant_url(name: str, persona: str):
    """The URL of one of the cast's grants (Cora's is open, Rita's has ended)."""
    return lambda cast: reverse(name, args=[cast.proxies.grants[persona].pk])


def _bad_invitation(cast: Cast) -> str:
    return reverse("proxies:invitation-accept", args=["not-a-real-token"])


ROUTES: list[Route] = [
    Route(
        "proxies:switch",
        url("proxies:switch"),
        expectations(NOT_ALLOWED),
    ),
    Route(
        "proxies:switch",
        url("proxies:switch"),
        expectations(TO_HOME),
        method="post",
        data={"patient": "me"},
    ),
    Route("proxies:caregivers", url("proxies:caregivers"), OWN_RECORD_ONLY),
    Route("proxies:caregiver-invite", url("proxies:caregiver-invite"), OWN_RECORD_ONLY),
    # An empty form: the patient gets the page back with its errors.
    Route(
        "proxies:caregiver-invite",
        url("proxies:caregiver-invite"),
        OWN_RECORD_ONLY,
        method="post",
    ),
    # Cora's grant is Pat's: Sam, and Cora herself, get 404.
    Route(
        "proxies:caregiver-change",
        grant_url("proxies:caregiver-change", "full_caregiver"),
        expectations(NOT_FOUND, patient=OK),
    ),
    Route(
        "proxies:caregiver-change",
        grant_url("proxies:caregiver-change", "full_caregiver"),
        expectations(NOT_FOUND, patient=OK),
        method="post",
    ),
    # A parent's grant is managed by clinic staff, never from the patient's pages.
    Route(
        "proxies:caregiver-change",
        grant_url("proxies:caregiver-change", "parent_of_teen"),
        expectations(NOT_FOUND),
    ),
    Route(
        "proxies:caregiver-revoke",
        grant_url("proxies:caregiver-revoke", "full_caregiver"),
        expectations(NOT_FOUND, patient=OK),
    ),
    # Rita's access has ended already: Pat is sent back to the list, and nothing changes.
    Route(
        "proxies:caregiver-revoke",
        grant_url("proxies:caregiver-revoke", "revoked_caregiver"),
        expectations(NOT_FOUND, patient=TO_CAREGIVERS),
        method="post",
    ),
    Route(
        "proxies:invitation-accept",
        _bad_invitation,
        expectations(NOT_FOUND, anonymous=NOT_FOUND),
    ),
    Route(
        "proxies:invitation-accept",
        _bad_invitation,
        expectations(NOT_FOUND, anonymous=NOT_FOUND),
        method="post",
        data={"action": "accept"},
    ),
    Route("proxies:helping", url("proxies:helping"), expectations(OK)),
    Route(
        "proxies:helping-stop",
        grant_url("proxies:helping-stop", "full_caregiver"),
        expectations(NOT_FOUND, full_caregiver=OK),
    ),
    Route(
        "proxies:helping-stop",
        grant_url("proxies:helping-stop", "revoked_caregiver"),
        expectations(NOT_FOUND, revoked_caregiver=TO_HELPING),
        method="post",
    ),
    # No persona in the matrix is 12 to 17 (Tess's page is tested in the proxies app).
    Route("proxies:teen-sharing", url("proxies:teen-sharing"), expectations(NOT_FOUND)),
    Route(
        "proxies:teen-sharing",
        url("proxies:teen-sharing"),
        expectations(NOT_FOUND),
        method="post",
    ),
]
