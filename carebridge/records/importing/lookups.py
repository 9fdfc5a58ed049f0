"""What a document's literal references may point at: its own entries, or what is stored."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from carebridge.patients.models import Patient
from carebridge.records.importing.bundles import Group
from carebridge.records.models import ClinicalResource

if TYPE_CHECKING:
    from carebridge.clinic.models import Clinic


def entries_in(groups: Iterable[Group]) -> set[str]:
    """The final `Type/id` of every entry read, for literal references to find."""
    return {
        f"{item.resource['resourceType']}/{item.resource['id']}"
        for group in groups
        for item in group.items
        if not item.problem
    }


def stored_references(clinic: Clinic, references: Collection[str]) -> set[str]:
    """Which of these `Type/id` references the clinic's store holds (a query or two)."""
    pairs = {tuple(reference.split("/", 1)) for reference in references}
    rows = ClinicalResource.objects.filter(
        clinic=clinic,
        resource_type__in={pair[0] for pair in pairs},
        fhir_id__in={pair[1] for pair in pairs},
    ).values_list("resource_type", "fhir_id")
    found = {f"{resource_type}/{fhir_id}" for resource_type, fhir_id in rows}
    return (found | _portal_patients(clinic, pairs)) & set(references)


def _portal_patients(clinic: Clinic, pairs: Iterable[tuple[str, ...]]) -> set[str]:
    # A portal patient is a Patient the record may point at, with or without a stored resource.
    ids = set()
    for resource_type, fhir_id in pairs:
        if resource_type == "Patient":
            try:
                ids.add(uuid.UUID(fhir_id))
            except ValueError:
                continue
    if not ids:
        return set()
    found = Patient.objects.filter(clinic=clinic, pk__in=ids).values_list("pk", flat=True)
    return {f"Patient/{pk}" for pk in found}
