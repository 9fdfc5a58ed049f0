"""The clinic's shared resources (Practitioner, Organization, Location…) a patient's API sees.

A shared resource belongs to no patient, so the API serves one only when the record the caller
may see points at it, directly or through others, exactly as the FHIR download decides which
come along (`records.exports.bundle_links.linked_resources`): another patient's practitioner
reads as missing. The set is small (what one record points at), so it is searched in memory.
Queries: one for the record's references, then one per link followed (at most five).
"""

from __future__ import annotations

import uuid

from django.db.models import Q

from carebridge.fhir.api.access import ApiAccess
from carebridge.fhir.api.errors import ApiError, Json
from carebridge.fhir.api.types import ServedType
from carebridge.records.exports.bundle_links import (
    Key,
    linked_resources,
    references_in,
    rekey,
)
from carebridge.records.models import ClinicalResourceQuerySet


def record_rows(access: ApiAccess) -> ClinicalResourceQuerySet:
    """The patient's rows the caller may see, whatever the token's types: the parts of the
    record of a caregiver's grant only (a type in no part needs every part)."""
    from carebridge.fhir.api.types import SERVED

    rows = access.scope.resources()
    if access.scope.parts is None:
        return rows
    visible = Q(pk__in=[])
    for served in SERVED.values():
        if not served.shared and served.name != "Patient":
            by_part = served.part_filter(access.scope.parts)
            visible |= Q(resource_type=served.name) & (by_part or Q())
    return rows.filter(visible)


def linked_shared(access: ApiAccess, resource_type: str) -> list[Json]:
    """The shared resources of this type the caller's record points at, re-keyed, in id order."""
    own = list(record_rows(access).values_list("resource_type", "fhir_id", "resource"))
    known: set[Key] = {(kind, fhir_id) for kind, fhir_id, _resource in own}
    wanted: set[Key] = set().union(*(references_in(resource) for *_key, resource in own))
    found = linked_resources(access.scope, wanted, known)
    clinic_id = access.scope.patient.clinic_id
    shared = [
        rekey(resource, clinic_id)
        for key, resource in found.items()
        if key[0] == resource_type and key not in known
    ]
    return sorted(shared, key=lambda resource: str(resource["id"]))


def read_shared(access: ApiAccess, served: ServedType, resource_id: str) -> Json:
    """One shared resource the record points at, or 404 (missing and unlinked alike)."""
    access.check_type(served.name, "read")
    try:
        wanted = str(uuid.UUID(resource_id))
    except ValueError:
        raise _missing(served.name) from None
    for resource in linked_shared(access, served.name):
        if resource["id"] == wanted:
            return resource
    raise _missing(served.name)


def search_shared(
    access: ApiAccess, served: ServedType, params: tuple[tuple[str, str], ...]
) -> list[Json]:
    """Every shared resource of this type the record points at that matches the parameters."""
    access.check_type(served.name, "search")
    return [
        resource
        for resource in linked_shared(access, served.name)
        if all(served.params[name].matches(name, value, resource) for name, value in params)
    ]


def _missing(resource_type: str) -> ApiError:
    return ApiError(404, f"There is no {resource_type} with this id.")
