"""Authorisation-matrix rows for the appointments pages.

The appointments page shows the appointments of whoever the viewer acts for: each patient sees
their own; Cora (every scope) and Abe (appointments only) see Pat's, Paula sees Kit's, and Terry
sees Tess's (appointments stay open to a parent while the child is a teenager). Staff, the
signed-in visitor and the proxies whose access has ended act for nobody: 404.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, OK, Route, expectations, url

ROUTES: list[Route] = [
    Route(
        "scheduling:appointments",
        url("scheduling:appointments"),
        expectations(NOT_FOUND, patients=OK, proxies=OK, ended_proxies=NOT_FOUND),
    ),
]
