"""Authorisation-matrix rows for the console's pages on parents and caregivers.

Only front desk staff and clinic administrators hold `proxies.grant_proxy_access`, and only
for their own clinic's patients: the other clinic's administrator gets the same 404 as a
patient. The rows use Kit (9) and Paula's grant for him; the POST rows are built so that
nothing is created for anyone (a form missing its confirmation, a change of scopes, ending a
grant that has already ended). What the allowed posts do is tested in
carebridge/staff/tests/test_patient_access.py.
"""

from __future__ import annotations

from django.urls import reverse

from carebridge.testing.matrix import NOT_FOUND, OK, Expect, Route, expectations
from carebridge.testing.personas import Cast

GRANTERS_ONLY = expectations(NOT_FOUND, front_desk=OK, clinic_admin=OK)
# A saved change or an ended grant sends the granter back to the patient's access page.
BACK_TO_ACCESS = Expect(302, "/staff/patients/")
GRANTERS_SENT_BACK = expectations(NOT_FOUND, front_desk=BACK_TO_ACCESS, clinic_admin=BACK_TO_ACCESS)


def access_url(cast: Cast) -> str:
    return reverse("staff:patient-access", args=[cast.proxies.child.pk])


def grant_url(cast: Cast) -> str:
    return reverse("staff:patient-access-grant", args=[cast.proxies.child.pk])


def change_url(cast: Cast) -> str:
    grant = cast.proxies.grants["parent_of_child"]
    return reverse("staff:patient-access-change", args=[grant.patient_id, grant.pk])


def end_url(cast: Cast) -> str:
    grant = cast.proxies.grants["parent_of_child"]
    return reverse("staff:patient-access-end", args=[grant.patient_id, grant.pk])


def end_ended_url(cast: Cast) -> str:
    grant = cast.proxies.grants["revoked_caregiver"]
    return reverse("staff:patient-access-end", args=[grant.patient_id, grant.pk])


# Everything but the tick that says identity and relationship were checked.
UNCONFIRMED = {
    "email": "newparent@example.org",
    "relationship": "parent",
    "scopes": "appointments",
    "note": "Passport and birth certificate seen",
}

ROUTES: list[Route] = [
    Route("staff:patient-access", access_url, GRANTERS_ONLY),
    Route("staff:patient-access-grant", grant_url, GRANTERS_ONLY),
    Route("staff:patient-access-grant", grant_url, GRANTERS_ONLY, method="post", data=UNCONFIRMED),
    Route("staff:patient-access-change", change_url, GRANTERS_ONLY),
    Route(
        "staff:patient-access-change",
        change_url,
        GRANTERS_SENT_BACK,
        method="post",
        data={"scopes": "appointments"},
    ),
    Route("staff:patient-access-end", end_url, GRANTERS_ONLY),
    Route("staff:patient-access-end", end_ended_url, GRANTERS_SENT_BACK, method="post"),
]
