"""The medicine a request, statement, administration or dispense names, by code or by reference.

`medication[x]` is either a concept or a reference to a Medication: one contained in the resource
(`#id`), or one stored (`Medication/id`; bundle `urn:uuid:` references are rewritten to that form
on import). The index names the medicine either way, so every page, list and download does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from carebridge.records.indexing.elements import Json, as_text, codeable

# The resources whose `medication[x]` names the medicine.
MEDICATION_USES = frozenset(
    {
        "MedicationAdministration",
        "MedicationDispense",
        "MedicationRequest",
        "MedicationStatement",
    }
)
# Finds a stored Medication by its reference ("Medication/x"), or None.
MedicationFor = Callable[[str], Json | None]


def no_medication(_reference: str) -> Json | None:
    return None


def medication_code(resource: Json, medication_for: MedicationFor) -> dict[str, str]:
    """The medicine's first coding and name, following `medicationReference` if need be."""
    if isinstance(resource.get("medicationCodeableConcept"), Mapping):
        return codeable(resource, "medicationCodeableConcept")
    reference = resource.get("medicationReference")
    if not isinstance(reference, Mapping):
        return {}
    medication = _referenced(resource, reference.get("reference"), medication_for)
    code = codeable(medication, "code") if medication is not None else {}
    if not code.get("display") and reference.get("display"):
        code["display"] = as_text(reference["display"])
    return code


def _referenced(resource: Json, target: Any, medication_for: MedicationFor) -> Json | None:
    if not isinstance(target, str):
        return None
    if target.startswith("#"):
        for contained in resource.get("contained") or []:
            if isinstance(contained, Mapping) and contained.get("id") == target[1:]:
                return contained if contained.get("resourceType") == "Medication" else None
        return None
    return medication_for(target) if target.startswith("Medication/") else None


def referenced_medication_ids(resources: Iterable[Json]) -> set[str]:
    """The ids of the stored Medications these resources name ("Medication/x" → "x")."""
    found = set()
    for resource in resources:
        if resource.get("resourceType") not in MEDICATION_USES:
            continue
        reference = resource.get("medicationReference")
        target = reference.get("reference") if isinstance(reference, Mapping) else None
        if isinstance(target, str) and target.startswith("Medication/"):
            found.add(target.removeprefix("Medication/").split("/", 1)[0])
    return found
