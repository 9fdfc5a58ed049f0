"""The resource types the API serves, each with its search parameters: one table per type.

A type is served when it has a row in `SERVED`; its search parameters are exactly those listed
(the CapabilityStatement advertises them from here). To serve another type, add its table.
`part` names the part of the record (`proxies.acting.RECORD_PARTS`) a type belongs to, for
caregivers who may see only some parts: a type in no part is shown only to those who may see
every part. Observations and reports belong to a part by their category (`observation_part`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from carebridge.fhir.api.patient_search import (
    BirthDateParam,
    GenderParam,
    IdentifierParam,
    NameParam,
)
from carebridge.fhir.api.search import (
    DateColumn,
    IdParam,
    JsonCode,
    PatientParam,
    SearchParam,
    TokenColumn,
)
from carebridge.records.exports.selection import VITAL_SIGNS
from carebridge.records.indexing import V2_0074_CATEGORIES
from carebridge.records.models import RESULT_CATEGORIES

# Every stored type has these.
COMMON: dict[str, SearchParam] = {
    "_id": IdParam(),
    "_lastUpdated": DateColumn("updated_at"),
    "patient": PatientParam(),
}


@dataclass(frozen=True)
class ServedType:
    """One resource type the API serves (read and search) and how it is searched."""

    name: str
    params: Mapping[str, SearchParam]
    # The part of the record it belongs to (None: only for those who see every part).
    part: str | None = None
    # The column a `?category=` scope restricts (empty: the type has no categories).
    category_column: str = ""
    # Parts by category for types split between parts (Observation); overrides `part`.
    parts_by_category: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The clinic's resources that belong to no patient (Practitioner, Organization…): served
    # when the record points at them (`fhir.api.shared`), searched in memory.
    shared: bool = False
    # Tells of other resources, which may be labelled sensitive (Provenance): hidden from
    # viewers from whom sensitive items are hidden (caregivers, parents).
    tells_of_others: bool = False

    def part_filter(self, parts: frozenset[str] | None) -> Q | None:
        """The rows of this type a viewer who may see `parts` may see (None: all of them;
        an empty `Q(pk__in=[])` when none)."""
        if parts is None:
            return None
        if self.parts_by_category:
            categories = [
                code
                for part, codes in self.parts_by_category.items()
                if part in parts
                for code in codes
            ]
            return Q(category__in=categories)
        return None if self.part in parts else Q(pk__in=[])


def _table(name: str, params: Mapping[str, SearchParam], **options: object) -> ServedType:
    return ServedType(name, {**COMMON, **params}, **options)  # type: ignore[arg-type]


CATEGORY = TokenColumn("category", aliases=V2_0074_CATEGORIES)
CODE = TokenColumn("code", system_column="code_system")
DATE = DateColumn("effective_at")
RESULT_PARTS = {"results": RESULT_CATEGORIES, "vitals": (VITAL_SIGNS,)}

SERVED: dict[str, ServedType] = {
    "Patient": ServedType(
        "Patient",
        {
            "_id": IdParam(),
            "identifier": IdentifierParam(),
            "name": NameParam(),
            "birthdate": BirthDateParam(),
            "gender": GenderParam(),
        },
    ),
    "Observation": _table(
        "Observation",
        {"category": CATEGORY, "code": CODE, "date": DATE},
        category_column="category",
        parts_by_category=RESULT_PARTS,
    ),
    "Condition": _table(
        "Condition",
        {"category": CATEGORY, "clinical-status": TokenColumn("clinical_status")},
        part="problems",
        category_column="category",
    ),
    "AllergyIntolerance": _table("AllergyIntolerance", {}, part="allergies"),
    "MedicationRequest": _table(
        "MedicationRequest",
        {"intent": JsonCode("intent"), "status": TokenColumn("status")},
        part="medications",
    ),
    "Immunization": _table("Immunization", {}, part="immunizations"),
    "Procedure": _table("Procedure", {"date": DATE}, part="procedures"),
    "Encounter": _table("Encounter", {"date": DATE}, part="visits"),
    "DiagnosticReport": _table(
        "DiagnosticReport",
        {"category": CATEGORY, "code": CODE, "date": DATE},
        # Reports travel with the results they group, whatever their category code.
        part="results",
        category_column="category",
    ),
    "DocumentReference": _table(
        "DocumentReference",
        {"category": CATEGORY, "type": CODE, "date": DATE},
        part="documents",
        category_column="category",
    ),
}

# US Core's other types (care plans, coverage, devices, the clinic's shared resources…) have
# their tables in their own module, which builds them from this one's.
from carebridge.fhir.api.us_core_types import MORE_SERVED  # noqa: E402

SERVED.update(MORE_SERVED)
