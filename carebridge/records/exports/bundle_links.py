"""What a record's resources point at, and how a Bundle's entries point at each other.

The FHIR download carries every resource the record points to that the viewer may see (shared
Medications, Practitioners, Organizations, Locations, Endpoints…, and the patient's own Devices,
Encounters…), following references from those too. Every resource, there and in the FHIR
API, is re-keyed the same way (`rekey`): its id becomes a uuid derived from the clinic, type and
stored id (`entry_uuid`, kept as `ClinicalResource.api_id`), and so does every literal `Type/id`
reference in it, so a link resolves against the API, and inside the Bundle, whose `fullUrl`s
are the API's addresses.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from carebridge.records.importing.validation import SHARED_TYPES as IMPORTED_SHARED_TYPES
from carebridge.records.models import ClinicalResource

if TYPE_CHECKING:
    from carebridge.records.scope import RecordScope

Key = tuple[str, str]
Json = dict[str, Any]
BATCH = 500
# How many links away from the record a resource may be and still come along
# (PractitionerRole → Location → Organization → Endpoint is four).
MAX_DEPTH = 5
# The clinic's resources that belong to no patient and may come along: what the importer keeps
# as shared, and devices that name no patient. Anything else stored without a patient (a Group,
# a List) may name other patients, and stays out.
SHARED_TYPES = IMPORTED_SHARED_TYPES | {"Device"}
LITERAL = re.compile(r"([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(/_history/[A-Za-z0-9\-.]{1,64})?")


def entry_uuid(clinic_id: Any, key: Key) -> uuid.UUID:
    """The resource's stable uuid: its id in the FHIR API, and its `urn:uuid:` in downloads
    (stored as `ClinicalResource.api_id`). A Patient's is the portal patient's own id."""
    if key[0] == "Patient":
        try:
            return uuid.UUID(key[1])
        except ValueError:
            pass
    name = f"carebridge:{clinic_id}:{key[0]}/{key[1]}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name)


def entry_urn(clinic_id: Any, key: Key) -> str:
    """The entry's stable `urn:uuid:`: the same resource gets the same one in every download."""
    return f"urn:uuid:{entry_uuid(clinic_id, key)}"


def rekey(resource: Json, clinic_id: Any) -> Json:
    """A copy of a stored resource as the FHIR API serves it: its `id`, and every literal
    `Type/id` reference in it, re-keyed to the uuids of `entry_uuid`. Computed, never looked
    up: a reference to something the viewer may not see re-keys too, and reads as missing."""
    copy = copy_json(resource)
    copy["id"] = str(entry_uuid(clinic_id, (copy["resourceType"], str(copy.get("id", "")))))
    stack: list[Any] = [copy]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            reference = item.get("reference")
            match = LITERAL.fullmatch(reference) if isinstance(reference, str) else None
            if match is not None:
                item["reference"] = f"{match[1]}/{entry_uuid(clinic_id, (match[1], match[2]))}"
            stack.extend(item.values())
    return copy


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (faster than `copy.deepcopy`, which handles any object)."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


def references_in(value: Any) -> set[Key]:
    """Every literal `Type/id` reference inside a resource, as (type, id)."""
    found: set[Key] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Mapping):
            reference = item.get("reference")
            match = LITERAL.fullmatch(reference) if isinstance(reference, str) else None
            if match is not None:
                found.add((match[1], match[2]))
            stack.extend(item.values())
    return found


def linked_resources(scope: RecordScope, wanted: set[Key], known: set[Key]) -> dict[Key, Json]:
    """The resources these references name that the viewer may see, and those they name in
    turn (up to `MAX_DEPTH` links): the clinic's shared ones of `SHARED_TYPES`, and the
    patient's own within the scope (released, not entered in error, not sensitive when the
    scope hides that). Privacy rule: nothing of another patient, nor anything that may name one."""
    found: dict[Key, Json] = {}
    for _depth in range(MAX_DEPTH):
        wanted = wanted - known - found.keys()
        if not wanted:
            break
        new = dict(_visible(scope, wanted))
        found |= new
        wanted = set().union(*(references_in(resource) for resource in new.values()))
    return found


def _visible(scope: RecordScope, wanted: set[Key]) -> Iterator[tuple[Key, Json]]:
    own = scope.resources().values("pk")
    ordered = sorted(wanted)
    for start in range(0, len(ordered), BATCH):
        batch = set(ordered[start : start + BATCH])
        rows = ClinicalResource.objects.filter(
            Q(patient__isnull=True, resource_type__in=SHARED_TYPES) | Q(pk__in=own),
            clinic_id=scope.patient.clinic_id,
            resource_type__in={key[0] for key in batch},
            fhir_id__in={key[1] for key in batch},
        ).values_list("resource_type", "fhir_id", "resource")
        for resource_type, fhir_id, resource in rows:
            if (resource_type, fhir_id) in batch:
                yield (resource_type, fhir_id), resource


def keys_of(rows: Iterable[tuple[str, str]]) -> set[Key]:
    return {(resource_type, fhir_id) for resource_type, fhir_id in rows}
