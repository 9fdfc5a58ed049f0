"""`Patient/<id>/$everything`: the patient's whole record as the caller may see it, one searchset.

The Patient first, then every resource of the types the token may search, by type and then
newest first, in pages (`_count`, at most 200; `next` links carry `_offset`). Each page also
carries, as `search.mode: include`, the clinic's shared resources its resources point at
(practitioners, organisations, medications…) that the token may read. Privacy rule: exactly
what searches of each type would return to this caller (record scope, parts, token types and
categories), nothing else. Queries: one count, one page, and one per link followed (at most
five), whatever the record's size.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import F, Q

from carebridge.fhir.api.access import ApiAccess, fhir_base
from carebridge.fhir.api.errors import ApiError, BadParameterError, Json
from carebridge.fhir.api.resources import SERVED_COLUMNS, served_patient
from carebridge.fhir.api.searchset import DEFAULT_COUNT, MAX_COUNT, MAX_OFFSET
from carebridge.fhir.api.shared import type_filter
from carebridge.fhir.api.types import SERVED
from carebridge.records.exports.bundle_links import linked_resources, references_in, rekey
from carebridge.records.models import ClinicalResourceQuerySet


def everything(access: ApiAccess, patient_id: str, query: list[tuple[str, str]]) -> Json:
    """One page of the patient's record as a searchset Bundle; 404 for anyone else's id."""
    if patient_id != str(access.scope.patient.pk):
        raise ApiError(404, "There is no Patient with this id.")
    count, offset = _paging(query)
    has_patient = access.caller.scopes.permits("Patient", "read")
    rows = _record(access)
    total = rows.count() + int(has_patient)
    page: list[Json] = []
    if has_patient and offset == 0 and count:
        page.append(served_patient(access))
    start = max(offset - int(has_patient), 0)
    wanted = count - len(page)
    stored: dict[tuple[str, str], Json] = {}
    if wanted > 0 and offset < total:
        ordered = rows.order_by("resource_type", F("effective_at").desc(nulls_last=True), "-id")
        for row in ordered.only(*SERVED_COLUMNS)[start : start + wanted]:
            stored[(row.resource_type, row.fhir_id)] = row.resource
        clinic_id = access.scope.patient.clinic_id
        page += [rekey(resource, clinic_id) for resource in stored.values()]
    bundle: Json = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": _links(patient_id, count, offset, total),
    }
    entries = [_entry(resource, "match") for resource in page]
    entries += [_entry(resource, "include") for resource in _shared_for(access, stored)]
    if entries:
        bundle["entry"] = entries
    return bundle


def _paging(query: list[tuple[str, str]]) -> tuple[int, int]:
    count, offset = DEFAULT_COUNT, 0
    for name, value in query:
        if name == "_count":
            count = min(_whole_number(name, value, MAX_OFFSET), MAX_COUNT)
        elif name == "_offset":
            offset = _whole_number(name, value, MAX_OFFSET)
    return count, offset


def _whole_number(name: str, value: str, largest: int) -> int:
    if not value.isascii() or not value.isdigit() or int(value) > largest:
        raise BadParameterError(name, f"expected a whole number from 0 to {largest}.")
    return int(value)


def _record(access: ApiAccess) -> ClinicalResourceQuerySet:
    """The rows a search of each of the patient's types would find for this caller."""
    wanted = Q(pk__in=[])
    for served in SERVED.values():
        if served.shared or served.name == "Patient":
            continue
        if access.caller.scopes.permits(served.name, "search"):
            wanted |= type_filter(access, served, "search")
    return access.scope.resources().filter(wanted)


def _shared_for(access: ApiAccess, stored: dict[tuple[str, str], Json]) -> list[Json]:
    """The shared resources the page's stored resources point at, that the token may read."""
    if not stored:
        return []
    wanted = set().union(*(references_in(resource) for resource in stored.values()))
    found = linked_resources(access.scope, wanted, set(stored))
    clinic_id = access.scope.patient.clinic_id
    return [
        rekey(resource, clinic_id)
        for (kind, _fhir_id), resource in sorted(found.items())
        if kind in SERVED and SERVED[kind].shared and access.caller.scopes.permits(kind, "read")
    ]


def _entry(resource: Json, mode: str) -> Json:
    url = f"{fhir_base()}/{resource['resourceType']}/{resource['id']}"
    return {"fullUrl": url, "resource": resource, "search": {"mode": mode}}


def _links(patient_id: str, count: int, offset: int, total: int) -> list[Json]:
    def url(at: int) -> str:
        params = [("_count", str(count))] + ([("_offset", str(at))] if at else [])
        return f"{fhir_base()}/Patient/{patient_id}/$everything?{urlencode(params)}"

    links = [{"relation": "self", "url": url(offset)}]
    if count and offset + count < total:
        links.append({"relation": "next", "url": url(offset + count)})
    return links
