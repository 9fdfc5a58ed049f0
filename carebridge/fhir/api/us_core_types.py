"""The rest of US Core 6.1's types a patient record holds, each with its SHALL search parameters.

The patient's own (care plans, care teams, goals, implanted devices, coverage, dispenses,
provenance, questionnaire answers, related people, orders, specimens) are searched on their
indexed columns like the core types. The clinic's shared resources (Practitioner, Organization,
Location, Medication, PractitionerRole, Endpoint) are served only when the record points at
them, and searched in memory over that small set (`fhir.api.shared`).
"""

from __future__ import annotations

from carebridge.fhir.api.more_params import (
    AddressParam,
    CodeableParam,
    JsonDate,
    ReferenceParam,
    StringParam,
)
from carebridge.fhir.api.patient_search import IdentifierParam, NameParam
from carebridge.fhir.api.search import IdParam, SearchParam, TokenColumn
from carebridge.fhir.api.types import COMMON, ServedType

CATEGORY = TokenColumn("category")
CODE = TokenColumn("code", system_column="code_system")
STATUS = TokenColumn("status")


def _own(name: str, params: dict[str, SearchParam], **options: object) -> ServedType:
    return ServedType(name, {**COMMON, **params}, **options)  # type: ignore[arg-type]


def _shared(name: str, params: dict[str, SearchParam]) -> ServedType:
    return ServedType(name, {"_id": IdParam(), **params}, shared=True)


MORE_SERVED: dict[str, ServedType] = {
    "CarePlan": _own(
        "CarePlan", {"category": CATEGORY}, part="care_plans", category_column="category"
    ),
    "CareTeam": _own("CareTeam", {"status": STATUS}, part="care_team"),
    "Goal": _own("Goal", {}, part="care_plans"),
    "Device": _own("Device", {}),
    "Coverage": _own("Coverage", {}),
    "MedicationDispense": _own("MedicationDispense", {}, part="medications"),
    # Provenance has no `patient` parameter in FHIR R4: it is found by `_id` or as a
    # `_revinclude` of what it is about. It may be about a sensitive item, so caregivers and
    # parents, from whom those are hidden, see none.
    "Provenance": ServedType(
        "Provenance",
        {"_id": IdParam(), "_lastUpdated": COMMON["_lastUpdated"]},
        tells_of_others=True,
    ),
    "QuestionnaireResponse": _own("QuestionnaireResponse", {}),
    "RelatedPerson": _own("RelatedPerson", {}),
    "ServiceRequest": _own(
        "ServiceRequest",
        {"category": CATEGORY, "code": CODE, "authored": JsonDate("authoredOn")},
        category_column="category",
    ),
    "Specimen": _own("Specimen", {}, part="results"),
    "Practitioner": _shared("Practitioner", {"name": NameParam(), "identifier": IdentifierParam()}),
    "PractitionerRole": _shared(
        "PractitionerRole",
        {"specialty": CodeableParam("specialty"), "practitioner": ReferenceParam("practitioner")},
    ),
    "Organization": _shared(
        "Organization", {"name": StringParam("name"), "address": AddressParam()}
    ),
    "Location": _shared("Location", {"name": StringParam("name"), "address": AddressParam()}),
    "Medication": _shared("Medication", {}),
    "Endpoint": _shared("Endpoint", {}),
}
