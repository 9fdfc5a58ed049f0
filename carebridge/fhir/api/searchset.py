"""A search: its parameters read and checked, the rows found, and the Bundle `searchset` page.

A constant number of queries whatever the record's size: one count and one page of rows
(newest first), on the indexed columns each parameter names. Paging is by offset in the
`next` link, which carries only the search's own parameters (never anything else the caller
sent). Unknown parameters are ignored, as FHIR's lenient handling allows, and named in an
OperationOutcome entry; with `Prefer: handling=strict` they are a 400 instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from carebridge.fhir.api.access import ApiAccess, fhir_base
from carebridge.fhir.api.errors import ApiError, BadParameterError, Json, outcome
from carebridge.fhir.api.includes import included_entries, is_supported
from carebridge.fhir.api.resources import SERVED_COLUMNS, served_patient, visible_rows
from carebridge.fhir.api.search import OtherPatientError, PatientParam
from carebridge.fhir.api.shared import search_shared
from carebridge.fhir.api.types import ServedType
from carebridge.records.exports.bundle_links import rekey

DEFAULT_COUNT = 50
MAX_COUNT = 200
MAX_OFFSET = 1_000_000
# Parameters about the result rather than the resources (`_offset` is the API's own paging).
RESULT_PARAMS = ("_count", "_offset")


@dataclass(frozen=True)
class SearchRequest:
    """The search as understood: the parameters used, paging, and what was ignored."""

    params: tuple[tuple[str, str], ...]
    count: int
    offset: int
    ignored: tuple[str, ...]
    # `_include` and `_revinclude` parameters this type answers (`fhir.api.includes`).
    includes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SearchResult:
    bundle: Json
    # Whether the response tells anything of the record (then it is audited).
    discloses_record: bool


def parse_search(
    served: ServedType, query: list[tuple[str, str]], *, strict: bool
) -> SearchRequest:
    """The query string's parameters, checked: 400 for a value that cannot be understood
    (naming the parameter), and in strict handling for a parameter this type does not have."""
    used: list[tuple[str, str]] = []
    ignored: list[str] = []
    includes: list[tuple[str, str]] = []
    count, offset = DEFAULT_COUNT, 0
    for name, value in query:
        if "\x00" in value or "\x00" in name:
            raise BadParameterError(name.replace("\x00", ""), "the value holds a NUL character.")
        if name == "_count":
            # More than the most a page holds is not an error: the page holds the most.
            count = min(_whole_number(name, value, MAX_OFFSET), MAX_COUNT)
        elif name == "_offset":
            offset = _whole_number(name, value, MAX_OFFSET)
        elif name in served.params:
            used.append((name, value))
        elif is_supported(served.name, name, value):
            includes.append((name, value))
        elif strict:
            raise ApiError(400, f"{name[:64]}: {served.name} has no such search parameter.")
        else:
            ignored.append(name[:64])
    return SearchRequest(tuple(used), count, offset, tuple(dict.fromkeys(ignored)), tuple(includes))


def _whole_number(name: str, value: str, largest: int) -> int:
    if not value.isascii() or not value.isdigit() or int(value) > largest:
        raise BadParameterError(name, f"expected a whole number from 0 to {largest}.")
    return int(value)


def run_search(access: ApiAccess, served: ServedType, search: SearchRequest) -> SearchResult:
    """The page of the search's results the caller may see, as a Bundle (403 for a type the
    token does not allow; 400 for any value that cannot be understood, checked before anything
    is read)."""
    access.check_type(served.name, "search")
    if served.name == "Patient":
        return _search_patient(access, served, search)
    if served.shared:
        return _search_shared(access, served, search)
    filters = [served.params[name].query(name, value) for name, value in search.params]
    try:
        _check_patient(access, served, search)
    except OtherPatientError:
        # Another patient's id finds nothing, exactly as if they had no such resources.
        return SearchResult(_bundle(served, search, 0, []), discloses_record=False)
    rows = visible_rows(access, served, "search")
    for wanted in filters:
        rows = rows.filter(wanted)
    total = rows.count()
    page_rows = (
        rows.newest_first().only(*SERVED_COLUMNS)[search.offset : search.offset + search.count]
        if search.count and search.offset < total
        else []
    )
    clinic_id = access.scope.patient.clinic_id
    page = [rekey(row.resource, clinic_id) for row in page_rows]
    return _found(access, served, search, total, page)


def _check_patient(access: ApiAccess, served: ServedType, search: SearchRequest) -> None:
    patient_id = str(access.scope.patient.pk)
    for name, value in search.params:
        param = served.params[name]
        if isinstance(param, PatientParam):
            param.check(name, value, patient_id)


def _search_patient(access: ApiAccess, served: ServedType, search: SearchRequest) -> SearchResult:
    """The token's one patient, when every parameter matches it (each one checked)."""
    patient = served_patient(access)
    matches = [served.params[name].matches(name, value, patient) for name, value in search.params]
    found = [patient] if all(matches) else []
    page = found[search.offset : search.offset + search.count]
    return _found(access, served, search, len(found), page)


def _search_shared(access: ApiAccess, served: ServedType, search: SearchRequest) -> SearchResult:
    """The clinic's shared resources the record points at that match (`fhir.api.shared`);
    each value is first tried on an empty resource, so a bad one is a 400 whatever is found."""
    for name, value in search.params:
        served.params[name].matches(name, value, {})
    found = search_shared(access, served, search.params)
    page = found[search.offset : search.offset + search.count]
    return _found(access, served, search, len(found), page)


def _found(
    access: ApiAccess, served: ServedType, search: SearchRequest, total: int, page: list[Json]
) -> SearchResult:
    included = included_entries(access, page, search.includes) if search.includes else []
    return SearchResult(_bundle(served, search, total, page, included), discloses_record=True)


def _bundle(
    served: ServedType,
    search: SearchRequest,
    total: int,
    page: list[Json],
    included: list[Json] | None = None,
) -> Json:
    base = fhir_base()
    links = [{"relation": "self", "url": _page_url(base, served, search, search.offset)}]
    if search.count and search.offset + search.count < total:
        following = search.offset + search.count
        links.append({"relation": "next", "url": _page_url(base, served, search, following)})
    entries: list[Json] = [
        {
            "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {"mode": "match"},
        }
        for resource in page
    ]
    entries += [
        {
            "fullUrl": f"{base}/{resource['resourceType']}/{resource['id']}",
            "resource": resource,
            "search": {"mode": "include"},
        }
        for resource in included or []
    ]
    if search.ignored:
        entries.append(
            {"resource": _ignored_outcome(search.ignored), "search": {"mode": "outcome"}}
        )
    bundle: Json = {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links}
    if entries:
        bundle["entry"] = entries
    return bundle


def _page_url(base: str, served: ServedType, search: SearchRequest, offset: int) -> str:
    params = [*search.params, *search.includes, ("_count", str(search.count))]
    if offset:
        params.append(("_offset", str(offset)))
    return f"{base}/{served.name}?{urlencode(params)}"


def _ignored_outcome(names: tuple[str, ...]) -> Json:
    issues = [
        outcome(
            f"{name}: this search parameter is not supported and was ignored.",
            severity="warning",
            code="not-supported",
            expression=name,
        )["issue"][0]
        for name in names
    ]
    return {"resourceType": "OperationOutcome", "issue": issues}
