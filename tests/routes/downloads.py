"""Authorisation-matrix rows for downloading and sending the record (the matrix test collects them).

Each patient downloads, prints and sends only their own record; everyone else gets 404. The page
a summary's recipient opens needs no account, so an unknown link is the same 404 for everybody.
"""

from __future__ import annotations

from carebridge.testing.matrix import NOT_FOUND, Route, expectations, own_record, url

# Cora (for Pat) and Paula (for Kit) may take copies; Terry's view of Tess's record is too
# narrow to download.
OWN_RECORD = own_record("download")
UNKNOWN_LINK = expectations(NOT_FOUND, anonymous=NOT_FOUND)

ROUTES: list[Route] = [
    Route("records:download", url("records:download"), OWN_RECORD),
    Route(
        "records:download",
        url("records:download"),
        OWN_RECORD,
        data={"format": "fhir", "include": "chosen", "sections": "allergies"},
    ),
    Route("records:print", url("records:print"), OWN_RECORD),
    Route("records:share", url("records:share"), OWN_RECORD),
    Route(
        "records:share",
        url("records:share"),
        OWN_RECORD,
        method="post",
        data={"recipient_email": "dr.new@example.org", "include": "all"},
    ),
    Route("shared:shared-open", url("shared:shared-open", "not-a-real-link"), UNKNOWN_LINK),
    Route(
        "shared:shared-open",
        url("shared:shared-open", "not-a-real-link"),
        UNKNOWN_LINK,
        method="post",
        data={"passcode": "1234 5678"},
    ),
]
