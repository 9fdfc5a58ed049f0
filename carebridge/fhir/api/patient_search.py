"""Searching the one Patient a token is for: its parameters test the Patient resource itself.

The API only ever holds one patient per token, so a Patient search matches that resource or
nothing; the resource is the one a read returns (`records.exports.fhir_bundle.patient_resource`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from carebridge.fhir.api.errors import BadParameterError, Json
from carebridge.fhir.api.search import (
    SearchParam,
    date_matches,
    parse_date,
    parse_token,
    split_values,
)


@dataclass(frozen=True)
class IdentifierParam(SearchParam):
    kind = "token"

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        held = [
            (item.get("system"), item.get("value"))
            for item in resource.get("identifier") or []
            if isinstance(item, dict)
        ]
        for token in (parse_token(name, value) for value in split_values(raw)):
            for system, value in held:
                if value == token.code and token.system in (None, system or ""):
                    return True
        return False


@dataclass(frozen=True)
class NameParam(SearchParam):
    """FHIR string search: any part of any name starts with the value, ignoring case."""

    kind = "string"

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        words: list[str] = []
        for item in resource.get("name") or []:
            if isinstance(item, dict):
                words += [str(item.get("family") or ""), str(item.get("text") or "")]
                words += [str(part) for part in item.get("given") or []]
                words += [str(part) for part in item.get("prefix") or []]
        wanted = [value.casefold() for value in split_values(raw)]
        if not all(wanted):
            raise BadParameterError(name, "the value is empty.")
        return any(word.casefold().startswith(value) for word in words for value in wanted)


@dataclass(frozen=True)
class BirthDateParam(SearchParam):
    kind = "date"

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        ranges = [parse_date(name, value) for value in split_values(raw)]
        born = resource.get("birthDate")
        try:
            day = datetime.date.fromisoformat(str(born)[:10])
        except ValueError:
            return False
        moment = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
        return any(date_matches(moment, value) for value in ranges)


@dataclass(frozen=True)
class GenderParam(SearchParam):
    kind = "token"

    def matches(self, name: str, raw: str, resource: Json) -> bool:
        codes = {parse_token(name, value).code for value in split_values(raw)}
        return resource.get("gender") in codes
