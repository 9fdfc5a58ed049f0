"""Where the shared reference data is (`../shared/data` beside the checkout, or
`$CAREBRIDGE_SHARED_DATA`), for tests that use it and skip, with a reason, where it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(
    os.environ.get(
        "CAREBRIDGE_SHARED_DATA", Path(__file__).resolve().parents[2].parent / "shared" / "data"
    )
)
US_CORE = SHARED_DATA / "us-core" / "hl7.fhir.us.core-610.tgz"
SYNTHEA = SHARED_DATA / "synthea-r4"


def us_core_or_skip() -> Path:
    """The US Core 6.1 package's path; the test is skipped where it is absent."""
    if not US_CORE.exists():
        pytest.skip(f"the US Core 6.1 package is not here ({US_CORE}): see shared/data/README.md")
    return US_CORE


def synthea_or_skip() -> Path:
    """The Synthea folder's path; the test is skipped where it is absent."""
    if not SYNTHEA.is_dir():
        pytest.skip(f"the Synthea data is not here ({SYNTHEA}): see shared/data/README.md")
    return SYNTHEA
