"""The clinic's shared resources (Practitioner, Organization, Location…) a patient's API sees.

A shared resource belongs to no patient, so the API serves one only when the record the caller
may see points at it, directly or through others, exactly as the FHIR download decides which
come along (`records.exports.bundle_links.linked_resources`): another patient's practitioner
reads as missing. The set is small (what one record points at), so it is searched in memory.
Queries: one for the record's references, then one per link followed (at most five).
"""

from __future__ import annotations

import uuid

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from carebridge.fhir.api.access import ApiAccess
from carebridge.fhir.api.errors import ApiError, Json
from carebridge.fhir.api.types import SERVED, ServedType
from carebridge.fhir.scopes import Interaction
from carebridge.records.exports.bundle_links import (
    Key,
    linked_resources,
    references_in,
    rekey,
)
from carebridge.records.models import ClinicalResource, ClinicalResourceQuerySet


def record_rows(access: ApiAccess) -> ClinicalResourceQuerySet:
    """The patient's rows the caller may read: the types the token allows (and their
    categories), within a caregiver's parts of the record (a type in no part needs every part).
    The shared resources these point at are the ones the caller may see."""
    visible = Q(pk__in=[])
    for served in SERVED.values():
        if not served.shared and access.caller.scopes.permits(served.name, "read"):
            visible |= type_filter(access, served, "read")
    return access.scope.resources().filter(visible)


def type_filter(access: ApiAccess, served: ServedType, interaction: Interaction) -> Q:
    """The rows of one of the patient's types this caller may see, as a filter (as
    `resources.visible_rows` narrows them, once the token allows the type)."""
    if served.tells_of_others and access.scope.hides_sensitive:
        return Q(pk__in=[])
    found = Q(resource_type=served.name)
    by_part = served.part_filter(access.scope.parts)
    if by_part is not None:
        found &= by_part
    categories = access.categories(served.name, interaction)
    if categories is not None:
        if not served.category_column:
            return Q(pk__in=[])
        found &= Q(**{f"{served.category_column}__in": sorted(categories)})
    return found


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
        wanted = uuid.UUID(resource_id)
    except ValueError:
        raise _missing(served.name) from None
    row = (
        ClinicalResource.objects.filter(
            clinic_id=access.scope.patient.clinic_id,
            patient__isnull=True,
            resource_type=served.name,
            api_id=wanted,
        )
        .only("resource_type", "fhir_id", "resource")
        .first()
    )
    if row is None:
        raise _missing(served.name)
    if _named_directly(access, f"{row.resource_type}/{row.fhir_id}"):
        return rekey(row.resource, access.scope.patient.clinic_id)
    # Linked only through others (a Location through a PractitionerRole): follow the links.
    for resource in linked_shared(access, served.name):
        if resource["id"] == str(wanted):
            return resource
    raise _missing(served.name)


def _named_directly(access: ApiAccess, reference: str) -> bool:
    """Whether a row the caller may read holds this literal reference, asked of the database
    (the stored JSON as text) rather than by reading the record."""
    text = record_rows(access).annotate(text=Cast("resource", TextField()))
    return text.filter(text__contains=f'"{reference}"').exists()


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
