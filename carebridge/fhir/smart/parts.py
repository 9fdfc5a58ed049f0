"""The parts of the record an app asks for, in plain words, and the scopes a patient grants.

The consent page cannot show `patient/MedicationRequest.rs`; it shows "Medicines". Each part
names the resource types (and, for Observations, the categories) it is made of and the section
of the portal's record (`proxies.acting.RECORD_PARTS`) it matches, so that a caregiver or parent
is offered only the parts their grant lets them see on the record pages.

Pure functions of `ScopeSet`s and part keys: the consent form and its tests call them alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.fhir.scopes import ScopeSet, parse_resource_scope

OBSERVATION = "Observation"
LABORATORY = "laboratory"
VITAL_SIGNS = "vital-signs"
# The other Observation categories of FHIR R4 and US Core 6.1, for when a patient keeps
# "other measurements" but not test results or vital signs (a scope cannot say "all but").
OTHER_OBSERVATION_CATEGORIES = (
    "social-history",
    "imaging",
    "procedure",
    "survey",
    "exam",
    "therapy",
    "activity",
    "sdoh",
    "functional-status",
    "disability-status",
    "cognitive-status",
    "treatment-intervention-preference",
    "care-experience-preference",
    "clinical-test",
)
# The identity and launch scopes, granted as asked whatever parts are kept.
_NON_CLINICAL_ORDER = (
    "launch/patient",
    "openid",
    "fhirUser",
    "profile",
    "offline_access",
    "online_access",
)


@dataclass(frozen=True)
class Part:
    """One part of the record as the consent page names it."""

    key: str
    label: Promise
    # The record section (`proxies.acting.RECORD_PARTS`) a proxy must be allowed to see.
    record_part: str
    # Whole resource types in this part.
    types: tuple[str, ...] = ()
    # Observation categories in this part; `None` for "every category no other part names".
    categories: tuple[str, ...] | None = ()


PARTS: tuple[Part, ...] = (
    Part(
        "results",
        _("Test results"),
        "results",
        ("DiagnosticReport", "Specimen", "ServiceRequest"),
        (LABORATORY,),
    ),
    Part(
        "vitals", _("Vital signs, such as blood pressure and weight"), "vitals", (), (VITAL_SIGNS,)
    ),
    Part(
        "medicines",
        _("Medicines"),
        "medications",
        ("Medication", "MedicationRequest", "MedicationDispense"),
    ),
    Part("allergies", _("Allergies"), "allergies", ("AllergyIntolerance",)),
    Part("conditions", _("Health problems (conditions)"), "problems", ("Condition",)),
    Part("immunizations", _("Immunizations (vaccines)"), "immunizations", ("Immunization",)),
    Part("procedures", _("Procedures"), "procedures", ("Procedure",)),
    Part("visits", _("Visits"), "visits", ("Encounter", "Location")),
    Part(
        "documents",
        _("Documents, notes and forms"),
        "documents",
        ("DocumentReference", "QuestionnaireResponse"),
    ),
    Part(
        "care_team",
        _("Care team"),
        "care_team",
        ("CareTeam", "Practitioner", "PractitionerRole", "Organization"),
    ),
    Part("care_plans", _("Goals and care plans"), "care_plans", ("CarePlan", "Goal")),
    Part(
        "other_observations",
        _("Other measurements and notes, such as smoking status"),
        "summary",
        (),
        None,
    ),
    Part(
        "details",
        _("Personal details: name, date of birth, contacts, insurance and devices"),
        "summary",
        ("Patient", "RelatedPerson", "Coverage", "Device", "Provenance"),
    ),
)
PARTS_BY_KEY = {part.key: part for part in PARTS}


def requested_parts(requested: ScopeSet) -> tuple[Part, ...]:
    """The parts any of the requested scopes reaches, in the consent page's order."""
    return tuple(part for part in PARTS if _part_scopes(part, requested))


def granted_scope(requested_text: str, kept: Iterable[str]) -> str:
    """The scope string granted when the patient keeps the parts `kept` (keys) of a request.

    Scopes nobody understands are dropped. When every requested part is kept, the clinical
    scopes are granted as the app wrote them; otherwise they are rewritten part by part (v2
    syntax), so a part left unticked is reached by no granted scope.
    """
    requested = ScopeSet.parse(requested_text)
    kept_keys = set(kept)
    words = list(dict.fromkeys(requested_text.split()))
    identity = [word for word in _NON_CLINICAL_ORDER if word in words]
    if kept_keys >= {part.key for part in requested_parts(requested)}:
        clinical = [word for word in words if parse_resource_scope(word) is not None]
    else:
        clinical = [
            scope
            for part in PARTS
            if part.key in kept_keys
            for scope in _part_scopes(part, requested)
        ]
    return " ".join(identity + clinical)


def _part_scopes(part: Part, requested: ScopeSet) -> list[str]:
    """The scopes (v2 syntax) that grant this part as far as the request reaches it."""
    scopes = []
    for resource_type in part.types:
        letters, categories = _reach(requested, resource_type)
        if letters:
            query = f"?category={','.join(sorted(categories))}" if categories is not None else ""
            scopes.append(f"patient/{resource_type}.{letters}{query}")
    for category in _observation_categories(part, requested):
        letters, _categories = _reach(requested, OBSERVATION, category)
        if letters:
            scopes.append(f"patient/{OBSERVATION}.{letters}?category={category}")
    return scopes


def _observation_categories(part: Part, requested: ScopeSet) -> tuple[str, ...]:
    if part.categories is not None:
        return part.categories
    asked = requested.categories_for(OBSERVATION, "search")
    if asked is None:
        asked = requested.categories_for(OBSERVATION, "read")
    if asked is None:
        return OTHER_OBSERVATION_CATEGORIES
    return tuple(sorted(asked - {LABORATORY, VITAL_SIGNS}))


def _reach(
    requested: ScopeSet, resource_type: str, category: str | None = None
) -> tuple[str, frozenset[str] | None]:
    """The v2 letters ("r", "s", "rs" or "") the request gives for this type (in this category),
    and the categories a whole type is limited to (None: any)."""
    letters = ""
    limited: frozenset[str] | None = None
    for interaction, letter in (("read", "r"), ("search", "s")):
        if not requested.permits(resource_type, interaction):  # type: ignore[arg-type]
            continue
        categories = requested.categories_for(resource_type, interaction)  # type: ignore[arg-type]
        if category is not None and categories is not None and category not in categories:
            continue
        letters += letter
        if category is None and categories is not None:
            limited = categories if limited is None else limited | categories
    return letters, limited
