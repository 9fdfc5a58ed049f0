"""What a charge line shows besides money: date of service, what it was for, who and where.

Names of practitioners, organisations and places come from the stored rows those references
point at, looked up for the whole batch in one query (`Names.load`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from carebridge.billing.fhir.amounts import NotBillableError
from carebridge.records.importing.storing import name_of
from carebridge.records.models import ClinicalResource

Json = Mapping[str, Any]
NAMED_TYPES = (
    "Practitioner",
    "Organization",
    "Location",
    "PractitionerRole",
    # An account's guarantor.
    "Patient",
    "RelatedPerson",
)


def reference_id(reference: object) -> str:
    """The id a reference points at ("Claim/abc", "urn:uuid:abc" and "abc" are all "abc")."""
    if not isinstance(reference, Mapping):
        return ""
    text = str(reference.get("reference") or "")
    return text.rsplit("/", 1)[-1].rsplit(":", 1)[-1] if text else ""


class Names:
    """Display names of the people and places a batch of resources points at."""

    def __init__(self, names: Mapping[str, str], kinds: Mapping[str, str] | None = None) -> None:
        self._names = names
        self._kinds = kinds or {}

    @classmethod
    def load(cls, clinic_id: int, resources: Iterable[Json]) -> Names:
        """One query for every practitioner, organisation and location the resources name."""
        wanted = {reference_id(ref) for resource in resources for ref in _references(resource)}
        wanted.discard("")
        if not wanted:
            return cls({})
        rows = ClinicalResource.objects.filter(
            clinic_id=clinic_id, resource_type__in=NAMED_TYPES, fhir_id__in=wanted
        ).values_list("fhir_id", "resource_type", "resource")
        names = {fhir_id: _name(resource) for fhir_id, _type, resource in rows}
        return cls(names, {fhir_id: kind for fhir_id, kind, _resource in rows})

    def of(self, reference: object) -> str:
        """The reference's own display, else the stored resource's name, else ""."""
        if not isinstance(reference, Mapping):
            return ""
        return str(reference.get("display") or self._names.get(reference_id(reference), ""))

    def is_person(self, reference: object) -> bool:
        """Whether the reference points at a practitioner (by its type, or the stored row's)."""
        if not isinstance(reference, Mapping):
            return False
        text = str(reference.get("reference") or "")
        kind = self._kinds.get(reference_id(reference), "")
        return text.startswith("Practitioner") or kind.startswith("Practitioner")


def _name(resource: Json) -> str:
    if resource.get("resourceType") in ("Patient", "RelatedPerson"):
        return _person_name(resource)
    found = name_of(resource) or resource.get("name") or ""
    return found if isinstance(found, str) else ""


def _person_name(resource: Json) -> str:
    """A patient's or related person's first name as written ("Dana Patient")."""
    names = [name for name in resource.get("name") or [] if isinstance(name, Mapping)]
    if not names:
        return ""
    if names[0].get("text"):
        return str(names[0]["text"])
    words = [*(str(given) for given in names[0].get("given") or []), names[0].get("family")]
    return " ".join(str(word) for word in words if word)


def _references(resource: Json) -> list[object]:
    refs: list[object] = [resource.get("provider"), resource.get("facility")]
    refs += [member.get("provider") for member in resource.get("careTeam") or []]
    refs += [item.get("locationReference") for item in resource.get("item") or []]
    refs += [part.get("actor") for part in resource.get("performer") or []]
    refs += [part.get("actor") for part in resource.get("participant") or []]
    refs += [resource.get("performingOrganization"), resource.get("issuer")]
    refs += list(resource.get("payor") or [])
    refs += [part.get("party") for part in resource.get("guarantor") or []]
    return [ref for ref in refs if isinstance(ref, Mapping)]


def service_date(item: Json, resource: Json) -> datetime.date:
    """The item's date of service, else the billable period's start, else when it was made."""
    candidates = [
        item.get("servicedDate"),
        (item.get("servicedPeriod") or {}).get("start"),
        resource.get("occurrenceDateTime"),
        (resource.get("occurrencePeriod") or {}).get("start"),
        (resource.get("billablePeriod") or {}).get("start"),
        resource.get("date"),
        resource.get("created"),
        resource.get("enteredDate"),
    ]
    for text in candidates:
        if isinstance(text, str) and len(text) >= 10:
            try:
                # The date as written, in the clinic's own offset: not moved to UTC.
                return datetime.date.fromisoformat(text[:10])
            except ValueError:
                continue
    raise NotBillableError(_("it has no date of service"))


def describe(concept: object) -> str:
    """A CodeableConcept in words: its text, else its first coding's display or code."""
    if not isinstance(concept, Mapping):
        return ""
    if concept.get("text"):
        return str(concept["text"])
    for coding in concept.get("coding") or []:
        if coding.get("display") or coding.get("code"):
            return str(coding.get("display") or coding.get("code"))
    return ""


def description(item: Json) -> str:
    return describe(item.get("productOrService")) or describe(item.get("code")) or _("Charge")


def clinician(resource: Json, names: Names) -> str:
    """The care team's primary member, else its first, else the provider when a person."""
    team = [m for m in resource.get("careTeam") or [] if isinstance(m, Mapping)]
    primary = [m for m in team if "primary" in str(m.get("role") or "")]
    for member in [*primary, *team]:
        name = names.of(member.get("provider"))
        if name:
            return name
    provider = resource.get("provider")
    return names.of(provider) if names.is_person(provider) else ""


def place(item: Json, resource: Json, names: Names) -> str:
    """The item's location, else the facility, else the kind of place (its code's words)."""
    return (
        names.of(item.get("locationReference"))
        or describe(item.get("locationCodeableConcept"))
        or names.of(resource.get("facility"))
        or ""
    )


def visit_key(resource: Json, fallback: str) -> str:
    """The encounter the lines belong to (so a claim's and its EOB's lines group), else
    `fallback` (the claim's id)."""
    for item in resource.get("item") or []:
        for encounter in item.get("encounter") or []:
            found = reference_id(encounter)
            if found:
                return found[:64]
    return fallback[:64]
