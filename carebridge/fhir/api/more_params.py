"""Search parameters of US Core's other types: a date element with no indexed column, and the
in-memory parameters of the clinic's shared resources (names, addresses, codes, references).

Shared resources are searched over the few the patient's record points at, already re-keyed,
so these test a resource's JSON (`matches`); like the Patient's, they never filter rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from carebridge.fhir.api.errors import BadParameterError, Json
from carebridge.fhir.api.search import SearchParam, parse_date, parse_token, split_values

ADDRESS_PARTS = ("text", "city", "district", "state", "postalCode", "country")


@dataclass(frozen=True)
class JsonDate(SearchParam):
    """A date element of the stored JSON with no indexed column (a ServiceRequest's
    `authoredOn`), compared as ISO text: right to the day, in the time zone it was written in."""

    element: str
    kind = "date"

    def query(self, name: str, raw: str) -> Q:
        column = f"resource__{self.element}"
        wanted = Q(pk__in=[])
        for value in split_values(raw):
            found = parse_date(name, value)
            start, end = found.start.isoformat()[:10], found.end.isoformat()[:10]
            if found.prefix in ("ge", "gt"):
                edge = start if found.prefix == "ge" else end
                wanted |= Q(**{f"{column}__gte": edge})
            elif found.prefix in ("le", "lt"):
                edge = end if found.prefix == "le" else start
                wanted |= Q(**{f"{column}__lt": edge})
            else:
                wanted |= Q(**{f"{column}__gte": start, f"{column}__lt": end})
        return wanted


def _words(name: str, raw: str) -> list[str]:
    wanted = [value.casefold() for value in split_values(raw)]
    if not all(wanted):
        raise BadParameterError(name, "the value is empty.")
    return wanted


def _starts_with_any(texts: Iterator[str], wanted: list[str]) -> bool:
    return any(text.casefold().startswith(value) for text in texts for value in wanted)


@dataclass(frozen=True)
class StringParam(SearchParam):
    """FHIR string search on a plain string element (and its `alias` list): it starts with the
    value, ignoring case."""

    element: str
    kind = "string"

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        texts = [resource.get(self.element), *(resource.get("alias") or [])]
        return _starts_with_any((str(t) for t in texts if t), _words(name, raw))


@dataclass(frozen=True)
class AddressParam(SearchParam):
    """`address`: any line or part of any address starts with the value, ignoring case."""

    kind = "string"

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        return _starts_with_any(_address_texts(resource.get("address")), _words(name, raw))


def _address_texts(value: Any) -> Iterator[str]:
    for address in value if isinstance(value, list) else [value]:
        if isinstance(address, dict):
            yield from (str(line) for line in address.get("line") or [])
            yield from (str(address[part]) for part in ADDRESS_PARTS if address.get(part))


@dataclass(frozen=True)
class CodeableParam(SearchParam):
    """A token on a CodeableConcept element (or a list of them): any coding matches."""

    element: str
    kind = "token"

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        value = resource.get(self.element)
        concepts = value if isinstance(value, list) else [value]
        codings = [
            (coding.get("system") or "", coding.get("code"))
            for concept in concepts
            if isinstance(concept, dict)
            for coding in concept.get("coding") or []
            if isinstance(coding, dict)
        ]
        tokens = [parse_token(name, value) for value in split_values(raw)]
        return any(
            code == token.code and token.system in (None, system)
            for token in tokens
            for system, code in codings
        )


@dataclass(frozen=True)
class ReferenceParam(SearchParam):
    """A reference element, by the API id it points at (`<id>`, `Type/<id>` or a full URL)."""

    element: str
    kind = "reference"

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        value = resource.get(self.element)
        held = {
            str(item.get("reference", "")).rsplit("/", 1)[-1]
            for item in (value if isinstance(value, list) else [value])
            if isinstance(item, dict)
        }
        wanted = {item.rstrip("/").rsplit("/", 1)[-1] for item in split_values(raw)}
        return bool(held & wanted - {""})
