"""`_include` and `_revinclude`: the resources a page of results points at, or that point at it.

US Core asks for `MedicationRequest:medication`, `MedicationDispense:medication`,
`PractitionerRole:practitioner` and `:endpoint`, `CareTeam:participant:<type>`, and
`_revinclude=Provenance:target` on the patient's types. Included resources come as entries with
`search.mode: include`, once each, and only those the caller may see: a type the token does not
allow is left out, a shared resource only because a result it may see points at it, one of the
patient's own only from the rows it may see. One query per `_include` or `_revinclude` given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from carebridge.fhir.api.access import ApiAccess
from carebridge.fhir.api.errors import Json
from carebridge.fhir.api.resources import served_patient, visible_rows
from carebridge.fhir.api.types import SERVED
from carebridge.records.exports.bundle_links import rekey
from carebridge.records.models import ClinicalResource


@dataclass(frozen=True)
class Include:
    """`_include=<source>:<name>[:<target>]`: the element of `source` whose references to
    `target` come along."""

    source: str
    element: str
    target: str


INCLUDES: dict[str, Include] = {
    "MedicationRequest:medication": Include(
        "MedicationRequest", "medicationReference", "Medication"
    ),
    "MedicationDispense:medication": Include(
        "MedicationDispense", "medicationReference", "Medication"
    ),
    "PractitionerRole:practitioner": Include("PractitionerRole", "practitioner", "Practitioner"),
    "PractitionerRole:endpoint": Include("PractitionerRole", "endpoint", "Endpoint"),
    **{
        f"CareTeam:participant:{target}": Include("CareTeam", "participant.member", target)
        for target in ("Practitioner", "PractitionerRole", "Patient", "RelatedPerson")
    },
}
PROVENANCE = "Provenance:target"
# The types US Core's server statement lists `_revinclude=Provenance:target` for.
PROVENANCE_TARGETS = frozenset(
    {
        "AllergyIntolerance", "CarePlan", "CareTeam", "Condition", "Coverage", "Device",
        "DiagnosticReport", "DocumentReference", "Encounter", "Goal", "Immunization",
        "MedicationDispense", "MedicationRequest", "Observation", "Patient", "Procedure",
        "QuestionnaireResponse", "RelatedPerson", "ServiceRequest",
    }
)  # fmt: skip


def includes_of(resource_type: str) -> list[str]:
    """The `_include` values this type answers, for the CapabilityStatement."""
    return [name for name, include in INCLUDES.items() if include.source == resource_type]


def revincludes_of(resource_type: str) -> list[str]:
    return [PROVENANCE] if resource_type in PROVENANCE_TARGETS else []


def is_supported(resource_type: str, name: str, value: str) -> bool:
    if name == "_include":
        return value in includes_of(resource_type)
    return name == "_revinclude" and value in revincludes_of(resource_type)


def included_entries(
    access: ApiAccess, page: list[Json], wanted: tuple[tuple[str, str], ...]
) -> list[Json]:
    """The resources the `_include`/`_revinclude` parameters bring for this page, as the API
    serves them (re-keyed), without repeats or the page's own resources."""
    seen = {(resource["resourceType"], resource["id"]) for resource in page}
    found: list[Json] = []
    for name, value in dict.fromkeys(wanted):
        batch = (
            _forward(access, page, INCLUDES[value])
            if name == "_include"
            else _provenance(access, page)
        )
        for resource in batch:
            key = (resource["resourceType"], resource["id"])
            if key not in seen:
                seen.add(key)
                found.append(resource)
    return found


def _forward(access: ApiAccess, page: list[Json], include: Include) -> list[Json]:
    if not access.caller.scopes.permits(include.target, "read"):
        return []
    ids = {
        reference.removeprefix(f"{include.target}/")
        for resource in page
        if resource["resourceType"] == include.source
        for reference in _references(resource, include.element)
        if reference.startswith(f"{include.target}/")
    }
    if not ids:
        return []
    if include.target == "Patient":
        return [served_patient(access)] if str(access.scope.patient.pk) in ids else []
    return _rows(access, include.target, ids)


def _rows(access: ApiAccess, resource_type: str, ids: set[str]) -> list[Json]:
    served = SERVED[resource_type]
    if served.shared:
        # Shared: a result the caller may see points at it, so the download would carry it.
        rows = ClinicalResource.objects.filter(
            Q(patient__isnull=True),
            clinic_id=access.scope.patient.clinic_id,
        )
    else:
        rows = visible_rows(access, served, "read")
    rows = rows.filter(resource_type=resource_type, api_id__in=sorted(ids))
    clinic_id = access.scope.patient.clinic_id
    return [rekey(row.resource, clinic_id) for row in rows.order_by("api_id").only("resource")]


def _references(resource: Json, element: str) -> list[str]:
    values: list[Any] = [resource]
    for name in element.split("."):
        values = [item for value in values for item in _children(value, name)]
    return [
        str(value["reference"])
        for value in values
        if isinstance(value, dict) and isinstance(value.get("reference"), str)
    ]


def _children(value: Any, name: str) -> list[Any]:
    found = value.get(name) if isinstance(value, dict) else None
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def _provenance(access: ApiAccess, page: list[Json]) -> list[Json]:
    if not page or not access.caller.scopes.permits("Provenance", "search"):
        return []
    targets = {f"{resource['resourceType']}/{resource['id']}" for resource in page}
    rows = visible_rows(access, SERVED["Provenance"], "search").order_by("api_id")
    clinic_id = access.scope.patient.clinic_id
    found = []
    for row in rows.only("resource"):
        resource = rekey(row.resource, clinic_id)
        if targets & set(_references(resource, "target")):
            found.append(resource)
    return found
