"""Extract the columns pages query from a FHIR resource's JSON.

`index_columns(resource, display_for)` returns the values of `ClinicalResource`'s index columns.
It reads only what FHIR R4 defines and never fails on a resource the validator accepted: a
missing element gives an empty column. `display_for` turns a reference ("Practitioner/12") into
a name, so lists can say who ordered a test without loading the practitioner.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from carebridge.lib.dates import parse_fhir_datetime

Json = Mapping[str, Any]
DisplayFor = Callable[[Json | None], str]

LOINC = "http://loinc.org"
# Category codes from HL7 v2 table 0074 (DiagnosticReport), named as the observation categories.
V2_0074_CATEGORIES = {
    "LAB": "laboratory",
    "HM": "laboratory",
    "CH": "laboratory",
    "MB": "laboratory",
    "SP": "pathology",
    "PAT": "pathology",
    "CP": "pathology",
    "RAD": "imaging",
    "CT": "imaging",
    "US": "imaging",
    "NMR": "imaging",
    "OUS": "imaging",
}
# FHIR interpretation codes reduced to the ones pages show.
INTERPRETATIONS = {
    "N": "N",
    "H": "H",
    "HU": "H",
    "L": "L",
    "LU": "L",
    "HH": "HH",
    "LL": "LL",
    "A": "A",
    "AA": "AA",
    "POS": "A",
    "DET": "A",
}

# Security labels (FHIR `meta.security`) that mark a resource as sensitive: restricted or very
# restricted confidentiality, and the HL7 sensitivity categories (mental health, substance
# use, sexual and reproductive health, HIV, genetic and others). Proxies never see these.
# Both the current and the older (pre-THO) system addresses count; a sensitive code with no
# system counts too, since hiding too much is the safe mistake.
CONFIDENTIALITY_SYSTEMS = frozenset(
    {
        "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
        "http://hl7.org/fhir/v3/Confidentiality",
    }
)
CONFIDENTIALITY_CODES = frozenset({"R", "V"})
SENSITIVITY_SYSTEMS = frozenset(
    {"http://terminology.hl7.org/CodeSystem/v3-ActCode", "http://hl7.org/fhir/v3/ActCode"}
)
SENSITIVITY_CODES = frozenset(
    {
        "ETH",
        "GDIS",
        "HIV",
        "PSY",
        "PSYTHPN",
        "SCA",
        "SDV",
        "SEX",
        "SICKLE",
        "STD",
        "SUD",
        "TBOO",
        "42CFRPart2",
    }
)

# Which element holds the code, the dates and the performer, by resource type.
CODE_ELEMENTS = {
    "MedicationRequest": "medicationCodeableConcept",
    "MedicationStatement": "medicationCodeableConcept",
    "Immunization": "vaccineCode",
    "Encounter": "type",
    "DocumentReference": "type",
    "Goal": "description",
    "CarePlan": "category",
    "Claim": "type",
    "ExplanationOfBenefit": "type",
}
START_ELEMENTS = {
    "Observation": ("effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued"),
    "DiagnosticReport": ("effectiveDateTime", "effectivePeriod", "issued"),
    "Condition": ("onsetDateTime", "onsetPeriod", "recordedDate"),
    "AllergyIntolerance": ("onsetDateTime", "recordedDate"),
    "MedicationRequest": ("authoredOn",),
    "MedicationStatement": ("effectiveDateTime", "effectivePeriod", "dateAsserted"),
    "Immunization": ("occurrenceDateTime",),
    "Procedure": ("performedDateTime", "performedPeriod"),
    "Encounter": ("period",),
    "DocumentReference": ("date", "context.period"),
    "CarePlan": ("period", "created"),
    "CareTeam": ("period",),
    "Goal": ("startDate", "statusDate"),
    "Claim": ("billablePeriod", "created"),
    "ExplanationOfBenefit": ("billablePeriod", "created"),
    "ImagingStudy": ("started",),
    "ServiceRequest": ("occurrenceDateTime", "authoredOn"),
}
END_ELEMENTS = {
    "Condition": ("abatementDateTime", "abatementPeriod"),
    "Encounter": ("period",),
    "Procedure": ("performedPeriod",),
    "CarePlan": ("period",),
    "CareTeam": ("period",),
    "MedicationStatement": ("effectivePeriod",),
}
PERFORMER_ELEMENTS = {
    "Observation": "performer",
    "DiagnosticReport": "performer",
    "MedicationRequest": "requester",
    "Immunization": "performer",
    "Procedure": "performer",
    "Encounter": "participant",
    "DocumentReference": "author",
    "AllergyIntolerance": "recorder",
    "Condition": "recorder",
    "ServiceRequest": "requester",
    "CarePlan": "author",
}


def index_columns(resource: Json, display_for: DisplayFor) -> dict[str, Any]:
    """The index columns of `ClinicalResource` for this resource."""
    resource_type = resource["resourceType"]
    code = codeable(resource, CODE_ELEMENTS.get(resource_type, "code"))
    columns: dict[str, Any] = {
        "category": category_of(resource),
        "code_system": code.get("system", ""),
        "code": code.get("code", ""),
        "code_display": code.get("display", ""),
        "status": _text(resource.get("status") or resource.get("lifecycleStatus")),
        "clinical_status": clinical_status_of(resource),
        "effective_at": first_date(resource, START_ELEMENTS.get(resource_type, ()), "start"),
        "effective_end": first_date(resource, END_ELEMENTS.get(resource_type, ()), "end"),
        "issued_at": parse_fhir_datetime(resource.get("issued")),
        "performer": performer_of(resource, display_for),
        "detail": detail_of(resource)[:500],
        "encounter_id": reference_id(
            _get(resource, "encounter") or _get(resource, "context.encounter")
        ),
        "is_sensitive": is_sensitive(resource),
    }
    if resource_type == "Observation":
        columns |= observation_values(resource)
    return columns


def is_sensitive(resource: Json) -> bool:
    """Whether the resource carries a security label that marks it sensitive."""
    meta = resource.get("meta")
    labels = _mappings(meta.get("security")) if isinstance(meta, Mapping) else []
    return any(_is_sensitive_label(label) for label in labels)


def _is_sensitive_label(label: Json) -> bool:
    system, code = label.get("system") or "", label.get("code") or ""
    if code in CONFIDENTIALITY_CODES:
        return not system or system in CONFIDENTIALITY_SYSTEMS
    if code in SENSITIVITY_CODES:
        return not system or system in SENSITIVITY_SYSTEMS
    return False


def _get(resource: Json, path: str) -> Any:
    value: Any = resource
    for part in path.split("."):
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    """The objects in a list element; nothing for a malformed one (a string, a number)."""
    if isinstance(value, Mapping):
        value = [value]
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _text(value: Any, limit: int = 255) -> str:
    return str(value)[:limit] if value is not None else ""


def codeable(resource: Json, element: str) -> dict[str, str]:
    """The first coding (LOINC first, where there is one) and a display for it."""
    concept = _get(resource, element)
    if isinstance(concept, list):
        concept = concept[0] if concept else None
    if not isinstance(concept, Mapping):
        reference = resource.get("medicationReference")
        display = _text(reference.get("display")) if isinstance(reference, Mapping) else ""
        return {"display": display} if display else {}
    codings = _mappings(concept.get("coding"))
    codings.sort(key=lambda coding: coding.get("system") != LOINC)
    first = codings[0] if codings else {}
    display = concept.get("text") or first.get("display") or first.get("code") or ""
    return {
        "system": _text(first.get("system")),
        "code": _text(first.get("code"), 64),
        "display": _text(display),
    }


def category_of(resource: Json) -> str:
    """The first category code, with HL7 v2 report sections named as observation categories."""
    for concept in _mappings(resource.get("category") or resource.get("type")):
        for coding in _mappings(concept.get("coding")):
            code = coding.get("code")
            if code:
                return V2_0074_CATEGORIES.get(code, _text(code, 64))
    return ""


def clinical_status_of(resource: Json) -> str:
    concept = resource.get("clinicalStatus")
    if isinstance(concept, Mapping):
        for coding in _mappings(concept.get("coding")):
            if coding.get("code"):
                return _text(coding["code"], 32)
    if resource["resourceType"] in ("MedicationRequest", "MedicationStatement"):
        return _text(resource.get("status"), 32)
    return ""


def first_date(resource: Json, elements: tuple[str, ...], edge: str) -> datetime.datetime | None:
    """The first of these elements that holds a date; for a Period, its start or end."""
    for element in elements:
        value = _get(resource, element)
        if isinstance(value, Mapping):
            value = value.get(edge)
        parsed = parse_fhir_datetime(value)
        if parsed is not None:
            return parsed
    return None


def reference_id(reference: Any) -> str:
    """The id in "Encounter/abc" (or a contained "#abc"); empty for anything else."""
    if isinstance(reference, list):
        reference = reference[0] if reference else None
    text = reference.get("reference") if isinstance(reference, Mapping) else None
    if not isinstance(text, str):
        return ""
    return text.rsplit("/", 1)[-1].lstrip("#")[:64]


def performer_of(resource: Json, display_for: DisplayFor) -> str:
    element = PERFORMER_ELEMENTS.get(resource["resourceType"])
    value = resource.get(element) if element else None
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Mapping):
        # Encounter.participant.individual and Procedure.performer.actor wrap the reference.
        value = value.get("individual") or value.get("actor") or value
    return _text(display_for(value)) if isinstance(value, Mapping) else ""


def detail_of(resource: Json) -> str:
    """One line the list pages show under the name (dosage, reaction, reason)."""
    resource_type = resource["resourceType"]
    if resource_type in ("MedicationRequest", "MedicationStatement"):
        dosage = _get(resource, "dosageInstruction") or _get(resource, "dosage")
        dosage = dosage[0] if isinstance(dosage, list) and dosage else dosage
        return _text(dosage.get("text")) if isinstance(dosage, Mapping) else ""
    if resource_type == "AllergyIntolerance":
        return allergy_detail(resource)
    for element in ("reasonCode", "description", "note"):
        value = _get(resource, element)
        value = value[0] if isinstance(value, list) and value else value
        if isinstance(value, Mapping):
            value = value.get("text") or _get(value, "coding.display")
        if isinstance(value, str) and value:
            return value
    return ""


def allergy_detail(resource: Json) -> str:
    """ "hives (moderate)": the first reaction's manifestations and its severity."""
    reaction = _get(resource, "reaction")
    reaction = reaction[0] if isinstance(reaction, list) and reaction else reaction
    if not isinstance(reaction, Mapping):
        return ""
    names = [
        concept.get("text") or _get(concept, "coding.display") or ""
        for concept in _mappings(reaction.get("manifestation"))
    ]
    text = ", ".join(name for name in names if name)
    severity = reaction.get("severity")
    return f"{text} ({severity})" if text and severity else text


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def observation_values(resource: Json) -> dict[str, Any]:
    """Value, unit, reference range and interpretation (computed from the range if absent)."""
    values = value_of(resource)
    low, high, range_text = reference_range(resource)
    values |= {"reference_low": low, "reference_high": high, "reference_text": range_text}
    values["interpretation"] = interpretation_of(resource) or _compare(
        values["value_numeric"], low, high
    )
    values["components"] = [
        component_value(component) for component in _mappings(resource.get("component"))
    ]
    return values


def value_of(element: Json) -> dict[str, Any]:
    quantity = element.get("valueQuantity")
    if isinstance(quantity, Mapping):
        unit = quantity.get("unit") or quantity.get("code") or ""
        return {
            "value_numeric": _number(quantity.get("value")),
            "value_unit": _text(unit, 40),
            "value_text": "",
        }
    text: Any = ""
    for key in ("valueString", "valueInteger", "valueBoolean", "valueDateTime"):
        if key in element:
            text = element[key]
            break
    else:
        concept = element.get("valueCodeableConcept")
        if isinstance(concept, Mapping):
            text = concept.get("text") or _get(concept, "coding.display") or ""
    number = _number(text) if "valueInteger" in element else None
    return {"value_numeric": number, "value_unit": "", "value_text": _text(text)}


def component_value(component: Json) -> dict[str, Any]:
    code = codeable(component, "code")
    value = value_of(component)
    return {
        "code": code.get("code", ""),
        "display": code.get("display", ""),
        "value": value["value_numeric"],
        "unit": value["value_unit"],
    }


def reference_range(resource: Json) -> tuple[float | None, float | None, str]:
    ranges = resource.get("referenceRange")
    first = ranges[0] if isinstance(ranges, list) and ranges else None
    if not isinstance(first, Mapping):
        return None, None, ""
    low = _number(_get(first, "low.value"))
    high = _number(_get(first, "high.value"))
    text = first.get("text")
    if not text and (low is not None or high is not None):
        unit = _get(first, "low.unit") or _get(first, "high.unit") or ""
        text = _range_words(low, high, unit)
    return low, high, _text(text)


def _range_words(low: float | None, high: float | None, unit: str) -> str:
    def show(number: float) -> str:
        return f"{number:g}"

    if low is not None and high is not None:
        words = f"{show(low)} to {show(high)}"
    elif low is not None:
        words = f"≥ {show(low)}"
    else:
        assert high is not None
        words = f"≤ {show(high)}"
    return f"{words} {unit}".strip()


def interpretation_of(resource: Json) -> str:
    for concept in _mappings(resource.get("interpretation")):
        for coding in _mappings(concept.get("coding")):
            code = INTERPRETATIONS.get(str(coding.get("code", "")).upper())
            if code:
                return code
    return ""


def _compare(value: float | None, low: float | None, high: float | None) -> str:
    if value is None or (low is None and high is None):
        return ""
    if low is not None and value < low:
        return "L"
    if high is not None and value > high:
        return "H"
    return "N"
