"""Authorisation-matrix rows for the clinic administrator's staff-accounts and care-team pages
(issue 16). Clinic administrators hold `clinic.manage_clinic`: Ada may open our clinic's pages
and act on our staff; Olive, the other clinic's administrator, opens her own clinic's lists and
forms but gets 404 for any member of ours. Everyone else gets the console's 404.

The POST rows change nothing even for Ada: the invitation and team forms are sent empty (the
form's messages), the role sent is Nora's own, Ada tries to deactivate herself (refused), Nora is
reactivated while active, Stan has no two-step verification to reset, and Nora has already
chosen a password. The cast has no care team, so the team page is checked with an id that does
not exist (404 for all); another clinic's team is tested in
carebridge/staff/tests/test_people_teams.py.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from carebridge.accounts.models import User
from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations, url
from carebridge.testing.personas import Cast

NO_SUCH_TEAM = 999999
ANY_CLINICS_ADMIN = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
OUR_ADMIN = expectations(NOT_FOUND, clinic_admin=OK)


def _member_url(name: str, who: Callable[[Cast], User]) -> Callable[[Cast], str]:
    def build(cast: Cast) -> str:
        return reverse(name, args=[who(cast).staff_member.pk])

    return build


def _back_to(who: Callable[[Cast], User]) -> Callable[[Cast], str]:
    return _member_url("staff:setup-staff-detail", who)


def _nora(cast: Cast) -> User:
    return cast.nurse


def _ada(cast: Cast) -> User:
    return cast.clinic_admin


def _stan(cast: Cast) -> User:
    return cast.staff_without_mfa


# A refused or unchanged action sends Ada back to the member's page. Member ids are the same in
# every test database built from the cast, but the path is checked only as far as the console's
# staff pages.
BACK = Expect(302, "/staff/setup/staff/")
OUR_ADMIN_BACK = expectations(NOT_FOUND, clinic_admin=BACK)

ROUTES: list[Route] = [
    Route("staff:setup-staff-list", url("staff:setup-staff-list"), ANY_CLINICS_ADMIN),
    Route("staff:setup-staff-invite", url("staff:setup-staff-invite"), ANY_CLINICS_ADMIN),
    Route(
        "staff:setup-staff-invite",
        url("staff:setup-staff-invite"),
        ANY_CLINICS_ADMIN,
        method="post",
    ),
    Route("staff:setup-staff-detail", _back_to(_nora), OUR_ADMIN),
    Route(
        "staff:setup-staff-role",
        _member_url("staff:setup-staff-role", _nora),
        OUR_ADMIN_BACK,
        method="post",
        data={"role": "nurse"},
    ),
    Route(
        "staff:setup-staff-deactivate",
        _member_url("staff:setup-staff-deactivate", _ada),
        OUR_ADMIN_BACK,
        method="post",
    ),
    Route(
        "staff:setup-staff-reactivate",
        _member_url("staff:setup-staff-reactivate", _nora),
        OUR_ADMIN_BACK,
        method="post",
    ),
    Route(
        "staff:setup-staff-two-step",
        _member_url("staff:setup-staff-two-step", _stan),
        OUR_ADMIN_BACK,
        method="post",
    ),
    Route(
        "staff:setup-staff-resend",
        _member_url("staff:setup-staff-resend", _nora),
        OUR_ADMIN_BACK,
        method="post",
    ),
    Route("staff:setup-team-list", url("staff:setup-team-list"), ANY_CLINICS_ADMIN),
    Route("staff:setup-team-add", url("staff:setup-team-add"), ANY_CLINICS_ADMIN),
    Route("staff:setup-team-add", url("staff:setup-team-add"), ANY_CLINICS_ADMIN, method="post"),
    Route(
        "staff:setup-team-edit", url("staff:setup-team-edit", NO_SUCH_TEAM), expectations(NOT_FOUND)
    ),
    Route(
        "staff:setup-team-edit",
        url("staff:setup-team-edit", NO_SUCH_TEAM),
        expectations(NOT_FOUND),
        method="post",
    ),
]
