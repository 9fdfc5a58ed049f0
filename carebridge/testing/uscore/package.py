"""The US Core 6.1 package, read from its NPM tarball: profiles, search parameters and what the
US Core Server CapabilityStatement asks a server for.

The tarball is reference material the project does not ship (`../shared/data/us-core`); tests
that need it skip where it is absent (see `carebridge.testing.shared_data`). Everything here is
read from the package itself, never from a list written here, so the checks follow the standard.
"""

from __future__ import annotations

import json
import tarfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

Json = dict[str, Any]
EXPECTATION = "http://hl7.org/fhir/StructureDefinition/capabilitystatement-expectation"
COMBINATION = (
    "http://hl7.org/fhir/StructureDefinition/capabilitystatement-search-parameter-combination"
)
SERVER = "http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server"


def expectation(node: Json) -> str:
    """The SHALL/SHOULD/MAY a CapabilityStatement element carries ("" when it carries none)."""
    for extension in node.get("extension", []):
        if extension.get("url") == EXPECTATION:
            return str(extension.get("valueCode", ""))
    return ""


@dataclass(frozen=True)
class TypeExpectations:
    """What the US Core Server CapabilityStatement asks of a server for one resource type."""

    resource_type: str
    # The type's own expectation (SHALL for most, SHOULD for QuestionnaireResponse).
    expectation: str
    profiles: tuple[str, ...]
    # Interactions ("read", "search-type"…) the server SHALL support.
    interactions: tuple[str, ...]
    # Single search parameters marked SHALL, in the statement's order.
    parameters: tuple[str, ...]
    # Combinations of parameters marked SHALL, each in the statement's order.
    combinations: tuple[tuple[str, ...], ...]
    # `_include` and `_revinclude` values, each with its expectation.
    includes: dict[str, str] = field(default_factory=dict)
    revincludes: dict[str, str] = field(default_factory=dict)
    # Every parameter the statement lists for the type, with its definition's URL.
    definitions: dict[str, str] = field(default_factory=dict)

    @property
    def required_parameters(self) -> frozenset[str]:
        """The parameters a conformant server must answer: the SHALL ones and every parameter
        of a SHALL combination."""
        return frozenset(self.parameters).union(*self.combinations)


class UsCorePackage:
    """One US Core package's JSON resources, read once from the tarball."""

    def __init__(self, resources: list[Json]) -> None:
        self.by_url = {resource["url"]: resource for resource in resources if "url" in resource}
        self.profiles = {
            resource["url"]: resource
            for resource in resources
            if resource.get("resourceType") == "StructureDefinition"
            and resource.get("kind") == "resource"
        }
        self.search_parameters = {
            resource["url"]: resource
            for resource in resources
            if resource.get("resourceType") == "SearchParameter"
        }
        self.server = self.by_url[SERVER]

    @classmethod
    def read(cls, path: Path) -> UsCorePackage:
        """The package's top-level JSON resources (its examples are left out)."""
        resources: list[Json] = []
        with tarfile.open(path) as archive:
            for member in archive.getmembers():
                name = member.name
                if name.count("/") != 1 or not name.endswith(".json"):
                    continue
                content = archive.extractfile(member)
                if content is not None:
                    resources.append(json.load(content))
        return cls(resources)

    def expectations(self) -> dict[str, TypeExpectations]:
        """Each resource type of the server statement, with what it asks for."""
        resources = self.server["rest"][0]["resource"]
        return {resource["type"]: _type_expectations(resource) for resource in resources}

    def search_parameter(self, resource_type: str, code: str) -> Json:
        """The SearchParameter the server statement names for `code` on this type."""
        url = self.expectations()[resource_type].definitions[code]
        return self.search_parameters[url]

    def profile(self, url: str) -> Json:
        return self.profiles[url]

    def profile_by_id(self, profile_id: str) -> Json:
        return self.profiles[f"http://hl7.org/fhir/us/core/StructureDefinition/{profile_id}"]


@cache
def read_package(path: Path) -> UsCorePackage:
    """The package at `path`, read once per test run."""
    return UsCorePackage.read(path)


def _type_expectations(resource: Json) -> TypeExpectations:
    params = resource.get("searchParam", [])
    return TypeExpectations(
        resource_type=resource["type"],
        expectation=expectation(resource),
        profiles=tuple(resource.get("supportedProfile", [])),
        interactions=tuple(
            item["code"] for item in resource.get("interaction", []) if expectation(item) == "SHALL"
        ),
        parameters=tuple(item["name"] for item in params if expectation(item) == "SHALL"),
        combinations=tuple(
            tuple(part["valueString"] for part in item["extension"] if part["url"] == "required")
            for item in resource.get("extension", [])
            if item.get("url") == COMBINATION and expectation(item) == "SHALL"
        ),
        includes=_with_expectations(resource, "searchInclude"),
        revincludes=_with_expectations(resource, "searchRevInclude"),
        definitions={item["name"]: item["definition"] for item in params},
    )


def _with_expectations(resource: Json, name: str) -> dict[str, str]:
    values = resource.get(name, [])
    notes = resource.get(f"_{name}", [{}] * len(values))
    return {value: expectation(note or {}) for value, note in zip(values, notes, strict=True)}
