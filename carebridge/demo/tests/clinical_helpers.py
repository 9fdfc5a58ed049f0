"""What the demo generator's tests share: a fixed day, the clinic's MRN system and
practitioners, and small helpers to build and read bundles."""

from __future__ import annotations

import datetime
from typing import Any

from carebridge.demo.clinical import PractitionerRef, generate_record_bundle

TODAY = datetime.date(2026, 1, 15)
MRN_SYSTEM = "urn:carebridge:riverside:mrn"
PRACTITIONERS = (
    PractitionerRef("Maya", "Chen", "MD", "1234567893"),
    PractitionerRef("Daniel", "Okafor", "DO", "1245319599"),
    PractitionerRef("Rebecca", "Lindgren", "NP", ""),
)


def build(spec: Any, **options: Any) -> dict[str, Any]:
    arguments = {"mrn_system": MRN_SYSTEM, "practitioners": PRACTITIONERS, "today": TODAY}
    return generate_record_bundle(spec, **{**arguments, **options})


def resources(bundle: dict[str, Any], resource_type: str | None = None) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if resource_type is None or r["resourceType"] == resource_type]
