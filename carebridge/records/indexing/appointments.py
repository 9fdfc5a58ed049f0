"""An Appointment's kind of visit, its clinician and its place, for the appointments pages.

An Appointment has no `code`: what kind of visit it is lives in `serviceType` (what EHRs fill
in most), else `appointmentType`, else `specialty`; that goes to the code columns. Whom the
patient sees and where are participants: the first Practitioner (or PractitionerRole) goes to
`performer`, the first Location to `detail`. Participants who declined are left out.

The reason for the visit (`reasonCode`, `description`) is not indexed: it is clinical, while
the appointments pages are shown to caregivers who may see appointments and nothing of the
record. It stays in the stored JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carebridge.records.indexing.elements import DisplayFor, Json, as_text, codeable, mappings

KIND_ELEMENTS = ("serviceType", "appointmentType", "specialty")
CLINICIAN_TYPES = frozenset({"Practitioner", "PractitionerRole"})
PLACE_TYPES = frozenset({"Location"})


def appointment_columns(resource: Json, display_for: DisplayFor) -> dict[str, Any]:
    """The code columns (the kind of visit), `performer` (with whom) and `detail` (where)."""
    kind = kind_of_visit(resource)
    return {
        "code_system": kind.get("system", ""),
        "code": kind.get("code", ""),
        "code_display": kind.get("display", ""),
        "performer": as_text(display_for(participant(resource, CLINICIAN_TYPES))),
        "detail": as_text(display_for(participant(resource, PLACE_TYPES)), 500),
    }


def kind_of_visit(resource: Json) -> dict[str, str]:
    """The first of service type, appointment type and specialty that says something."""
    for element in KIND_ELEMENTS:
        concept = codeable(resource, element)
        if concept.get("display") or concept.get("code"):
            return concept
    return {}


def participant(resource: Json, types: frozenset[str]) -> Json | None:
    """The first participant's actor of one of these resource types, unless they declined."""
    for member in mappings(resource.get("participant")):
        actor = member.get("actor")
        if member.get("status") == "declined" or not isinstance(actor, Mapping):
            continue
        if actor_type(actor) in types:
            return actor
    return None


def actor_type(actor: Json) -> str:
    """The type a reference names: its `type`, else the "Type/id" of its `reference`."""
    declared = actor.get("type")
    if isinstance(declared, str) and declared:
        return declared.rsplit("/", 1)[-1]
    reference = actor.get("reference")
    if not isinstance(reference, str) or "/" not in reference:
        return ""
    # "Practitioner/12", an absolute "https://ehr.example/fhir/Practitioner/12", or either
    # with a version ("Practitioner/12/_history/3").
    parts = reference.split("/_history/", 1)[0].split("/")
    return parts[-2] if len(parts) >= 2 else ""
