"""The transaction Bundle a generated record is written into, and its deterministic ids.

Every resource id is a UUID 5 of a fixed namespace, a scope and a key that names the resource
within the record ("Encounter/visit-7", "Observation/visit-7/8867-4"). The scope is the patient's
MRN, except for the clinic's shared resources (its practitioners and organisation), which are
scoped to the clinic so that every patient's bundle points at the same ones. Generating a record
twice therefore gives the same ids, and an importer sees the second run as unchanged.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from carebridge.demo.clinical.datatypes import Json

ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:carebridge:demo:clinical-record")


@dataclass(frozen=True)
class PractitionerRef:
    """One of the clinic's practitioners, as the caller knows them."""

    given_name: str
    family_name: str
    credentials: str
    npi: str = ""

    @property
    def display(self) -> str:
        name = f"{self.given_name} {self.family_name}"
        return f"{name}, {self.credentials}" if self.credentials else name

    @property
    def key(self) -> str:
        return self.npi or f"{self.given_name} {self.family_name}"


def resource_id(scope: str, key: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{scope}|{key}"))


class BundleBuilder:
    """Collects a record's resources as transaction entries, each a PUT to its own id."""

    def __init__(self, scope: str, shared_scope: str) -> None:
        self.scope = scope
        self.shared_scope = shared_scope
        self.entries: list[Json] = []
        self._keys: set[str] = set()

    def urn(self, resource_type: str, key: str, *, shared: bool = False) -> str:
        """The reference a resource will have; it can be used before the resource is added."""
        scope = self.shared_scope if shared else self.scope
        return f"urn:uuid:{resource_id(scope, f'{resource_type}/{key}')}"

    def add(self, resource_type: str, key: str, body: Json, *, shared: bool = False) -> str:
        """Add a resource and return its reference. A key used twice is a generator bug."""
        full_key = f"{'shared:' if shared else ''}{resource_type}/{key}"
        if full_key in self._keys:
            raise ValueError(f"Two resources share the key {full_key!r}.")
        self._keys.add(full_key)
        urn = self.urn(resource_type, key, shared=shared)
        fhir_id = urn.removeprefix("urn:uuid:")
        self.entries.append(
            {
                "fullUrl": urn,
                "resource": {"resourceType": resource_type, "id": fhir_id, **body},
                "request": {"method": "PUT", "url": f"{resource_type}/{fhir_id}"},
            }
        )
        return urn

    def observation_count(self) -> int:
        return sum(entry["resource"]["resourceType"] == "Observation" for entry in self.entries)

    def bundle(self) -> Json:
        """The transaction Bundle. Resources are built from shared pieces (one visit's
        reference is in all its results), so the bundle is copied through JSON: every entry
        then owns its data, and an importer may rewrite references in place."""
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": self.entries}
        copied: Json = json.loads(json.dumps(bundle))
        return copied
