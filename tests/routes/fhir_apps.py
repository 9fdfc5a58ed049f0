"""Authorisation-matrix rows for the patients' apps (issue 17): the connected apps pages and
the clinic administrator's app register.

Connected apps: each patient sees their own list; Cora (every scope, for Pat) and Paula (every
scope, for Kit) see the list of the person they act for; Abe (appointments only) and Terry (a
teenager's parent, who sees only part of Tess's record and has no account-settings scope) get
404, as do staff, the visitor and everyone acting for nobody. The disconnect page is checked
with a connection id that does not exist (the matrix builds a URL after its "nothing changed"
snapshot, so it cannot make one first): 404 for everyone signed in. That another patient's real
connection is a 404 with nothing changed is tested in carebridge/fhir/tests/test_connected_apps.py.

App register: only clinic administrators hold `clinic.manage_clinic`: Ada gets her clinic's
pages, Olive her own clinic's (empty) list. One app's pages are checked with an id that does not
exist; another clinic's real app is tested in carebridge/staff/tests/test_apps_setup.py. The
POST rows send empty forms, so nothing is registered, changed or withdrawn for anyone.
"""

from __future__ import annotations

import uuid

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url

NO_SUCH_ID = 999999
NO_SUCH_CONNECTION = uuid.UUID("00000000-0000-4000-8000-000000000017")
# The patient, or a caregiver or parent with the account-settings scope or the whole record.
APPS_OF_WHOM_THEY_ACT_FOR = expectations(
    NOT_FOUND, patients=OK, full_caregiver=OK, parent_of_child=OK
)
ANY_CLINICS_ADMIN = expectations(NOT_FOUND, clinic_admin=OK, other_clinic_admin=OK)
NOBODYS = expectations(NOT_FOUND)

ROUTES: list[Route] = [
    Route("connected_apps:list", url("connected_apps:list"), APPS_OF_WHOM_THEY_ACT_FOR),
    Route(
        "connected_apps:disconnect",
        url("connected_apps:disconnect", NO_SUCH_CONNECTION),
        NOBODYS,
    ),
    Route(
        "connected_apps:disconnect",
        url("connected_apps:disconnect", NO_SUCH_CONNECTION),
        NOBODYS,
        method="post",
    ),
    Route("staff:setup-apps", url("staff:setup-apps"), ANY_CLINICS_ADMIN),
    Route("staff:setup-app-add", url("staff:setup-app-add"), ANY_CLINICS_ADMIN),
    # An empty form: the page comes back with its errors; nothing is registered.
    Route("staff:setup-app-add", url("staff:setup-app-add"), ANY_CLINICS_ADMIN, method="post"),
    Route("staff:setup-app", url("staff:setup-app", NO_SUCH_ID), NOBODYS),
    Route("staff:setup-app", url("staff:setup-app", NO_SUCH_ID), NOBODYS, method="post"),
    Route("staff:setup-app-withdraw", url("staff:setup-app-withdraw", NO_SUCH_ID), NOBODYS),
    Route(
        "staff:setup-app-withdraw",
        url("staff:setup-app-withdraw", NO_SUCH_ID),
        NOBODYS,
        method="post",
    ),
]
