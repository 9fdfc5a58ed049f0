"""Checks an incoming resource must pass before it is stored.

`shape_problem` checks what a resource must be as a whole: a JSON object of a known FHIR R4
type, with a well-formed id, the elements the portal relies on for the common types, and every
element's cardinality and type as FHIR R4's own definitions give them (`structure`).
Element formats (dates, references) are checked by `references.Resolver` as it walks the
resource, so each resource is walked once; the rules it applies live here.

Messages name elements, never values, so they carry no health information.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

from carebridge.records.importing.resource_types import RESOURCE_TYPES
from carebridge.records.importing.structure import structure_problem

# Resources that belong to no one patient: stored once for the clinic, with no patient.
SHARED_TYPES = frozenset(
    {
        "Endpoint",
        "HealthcareService",
        "Location",
        "Medication",
        "Organization",
        "OrganizationAffiliation",
        "Practitioner",
        "PractitionerRole",
        "Substance",
    }
)

# For each type the portal reads closely, the elements it needs: one of each tuple.
REQUIRED_ELEMENTS: dict[str, tuple[tuple[str, ...], ...]] = {
    "Observation": (("status",), ("code",)),
    "Condition": (("subject",),),
    "MedicationRequest": (
        ("status",),
        ("intent",),
        ("subject",),
        ("medicationCodeableConcept", "medicationReference"),
    ),
    "Encounter": (("status",), ("class",)),
    # A patient is matched and created by name and birth date, so both must be there.
    "Patient": (("name",), ("birthDate",)),
}

ID_PATTERN = re.compile(r"[A-Za-z0-9\-.]{1,64}")
# FHIR R4's dateTime: a year, optionally a month and day, optionally a time with its zone.
# It also accepts every valid date and instant, which is what the importer needs.
DATETIME_PATTERN = re.compile(
    r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)"
    r"(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?"
    r"(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?"
)
DATE_PATTERN = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])")
# Elements whose value is a date, dateTime or instant, besides those named "…Date" or
# "…DateTime" (birthDate, effectiveDateTime, valueDate…).
DATE_ELEMENTS = frozenset(
    {
        "authoredOn",
        "created",
        "date",
        "dateAsserted",
        "issued",
        "lastUpdated",
        "recorded",
        "started",
        "timestamp",
        "whenHandedOver",
        "whenPrepared",
    }
)
# A Period's edges; other elements of these names hold numbers, which are not checked.
PERIOD_EDGES = frozenset({"start", "end"})
DATE_SUFFIXES = ("Date", "DateTime", "Instant")


def resource_type_of(resource: Any) -> str:
    """The resource's type if it is one FHIR R4 defines, else an empty string."""
    if isinstance(resource, dict):
        value = resource.get("resourceType")
        if isinstance(value, str) and value in RESOURCE_TYPES:
            return value
    return ""


def shape_problem(resource: Any) -> str | None:
    """Why this resource cannot be imported as a whole, or None when it can."""
    if not isinstance(resource, dict):
        return _("Not a JSON object.")
    resource_type = resource.get("resourceType")
    if not isinstance(resource_type, str) or not resource_type:
        return _("No resourceType.")
    if resource_type not in RESOURCE_TYPES:
        return _("A resourceType that FHIR R4 does not define.")
    if "id" in resource and not is_valid_id(resource["id"]):
        return _("%(type)s: the id is not 1 to 64 letters, digits, '-' or '.'.") % {
            "type": resource_type
        }
    missing = missing_element(resource_type, resource)
    if missing:
        return _("%(type)s: '%(element)s' is missing.") % {
            "type": resource_type,
            "element": missing,
        }
    misshapen = structure_problem(resource)
    if misshapen:
        return f"{resource_type}: {misshapen}"
    if resource_type == "Patient" and not is_full_date(resource.get("birthDate")):
        return _("Patient: 'birthDate' is not a full date (year, month and day).")
    return None


def is_valid_id(value: Any) -> bool:
    return isinstance(value, str) and ID_PATTERN.fullmatch(value) is not None


def missing_element(resource_type: str, resource: dict[str, Any]) -> str:
    """The first required element the resource lacks (as FHIR names it), or ""."""
    for choices in REQUIRED_ELEMENTS.get(resource_type, ()):
        if not any(resource.get(name) not in (None, "", [], {}) for name in choices):
            return choices[0] if len(choices) == 1 else _medication_choice(choices)
    return ""


def _medication_choice(choices: tuple[str, ...]) -> str:
    # FHIR writes a choice of types as "medication[x]".
    return choices[0].removesuffix("CodeableConcept") + "[x]"


def is_date_element(name: str) -> bool:
    """Whether an element of this name holds a date, dateTime or instant."""
    return name in DATE_ELEMENTS or name.endswith(DATE_SUFFIXES)


def is_fhir_datetime(value: Any) -> bool:
    return isinstance(value, str) and DATETIME_PATTERN.fullmatch(value) is not None


def is_full_date(value: Any) -> bool:
    """A real calendar date written YYYY-MM-DD (not 2023-02-30)."""
    if not isinstance(value, str) or DATE_PATTERN.fullmatch(value) is None:
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True
