"""The resources a request may see, as the API serves them (ids and references re-keyed).

Every read and search starts from `visible_rows`: the record scope (released, not entered in
error, no sensitive items for caregivers), the caregiver's parts of the record, and the
token's categories. A resource outside them reads as missing (404), exactly like one that does
not exist or is another patient's.
"""

from __future__ import annotations

import uuid

from django.db.models import Q

from carebridge.fhir.api.access import ApiAccess
from carebridge.fhir.api.errors import ApiError, Json
from carebridge.fhir.api.shared import read_shared
from carebridge.fhir.api.types import SERVED, ServedType
from carebridge.fhir.scopes import Interaction
from carebridge.records.exports.bundle_links import rekey
from carebridge.records.exports.fhir_bundle import patient_resource
from carebridge.records.models import ClinicalResourceQuerySet

# The columns a served resource needs (the rest are for the portal's pages).
SERVED_COLUMNS = ("resource_type", "fhir_id", "api_id", "resource")


def served_type(resource_type: str) -> ServedType:
    """The type's table, or 404 for a type the API does not serve."""
    served = SERVED.get(resource_type)
    if served is None:
        raise ApiError(404, f"This server does not serve {resource_type} resources.")
    return served


def visible_rows(
    access: ApiAccess, served: ServedType, interaction: Interaction
) -> ClinicalResourceQuerySet:
    """The patient's rows of this type the caller may see (403 for a type the token does not
    allow). Privacy rule: only the token's patient, only what the record scope shows this
    viewer, only their parts of the record, only the token's categories."""
    access.check_type(served.name, interaction)
    rows = access.scope.resources().of_type(served.name)
    if served.tells_of_others and access.scope.hides_sensitive:
        return rows.none()
    by_part = served.part_filter(access.scope.parts)
    if by_part is not None:
        rows = rows.filter(by_part)
    categories = access.categories(served.name, interaction)
    if categories is not None:
        if not served.category_column:
            return rows.none()
        rows = rows.filter(**{f"{served.category_column}__in": sorted(categories)})
    return rows


def read_resource(access: ApiAccess, resource_type: str, resource_id: str) -> Json:
    """One resource as the API serves it, or 404 when it is missing, another patient's, or
    not visible to this caller (all three alike)."""
    served = served_type(resource_type)
    if served.name == "Patient":
        access.check_type("Patient", "read")
        if resource_id != str(access.scope.patient.pk):
            raise _missing(resource_type)
        return served_patient(access)
    if served.shared:
        return read_shared(access, served, resource_id)
    try:
        api_id = uuid.UUID(resource_id)
    except ValueError:
        raise _missing(resource_type) from None
    row = visible_rows(access, served, "read").filter(Q(api_id=api_id)).only(*SERVED_COLUMNS)
    found = row.first()
    if found is None:
        raise _missing(resource_type)
    return rekey(found.resource, access.scope.patient.clinic_id)


def served_patient(access: ApiAccess) -> Json:
    """The Patient as the download builds it, re-keyed."""
    return rekey(patient_resource(access.scope), access.scope.patient.clinic_id)


def _missing(resource_type: str) -> ApiError:
    return ApiError(404, f"There is no {resource_type} with this id.")
