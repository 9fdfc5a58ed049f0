"""An Observation's value, unit, reference range, interpretation and components."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carebridge.records.indexing.elements import (
    Json,
    as_number,
    as_text,
    codeable,
    get_path,
    mappings,
)

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


def observation_values(resource: Json) -> dict[str, Any]:
    """Value, unit, reference range and interpretation (computed from the range if absent)."""
    values = value_of(resource)
    low, high, range_text = reference_range(resource)
    values |= {"reference_low": low, "reference_high": high, "reference_text": range_text}
    values["interpretation"] = interpretation_of(resource) or _compare(
        values["value_numeric"], low, high
    )
    values["components"] = [
        component_value(component) for component in mappings(resource.get("component"))
    ]
    return values


def value_of(element: Json) -> dict[str, Any]:
    quantity = element.get("valueQuantity")
    if isinstance(quantity, Mapping):
        unit = quantity.get("unit") or quantity.get("code") or ""
        return {
            "value_numeric": as_number(quantity.get("value")),
            "value_unit": as_text(unit, 40),
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
            text = concept.get("text") or get_path(concept, "coding.display") or ""
    number = as_number(text) if "valueInteger" in element else None
    return {"value_numeric": number, "value_unit": "", "value_text": as_text(text)}


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
    low = as_number(get_path(first, "low.value"))
    high = as_number(get_path(first, "high.value"))
    text = first.get("text")
    if not text and (low is not None or high is not None):
        unit = get_path(first, "low.unit") or get_path(first, "high.unit") or ""
        text = _range_words(low, high, unit)
    return low, high, as_text(text)


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
    for concept in mappings(resource.get("interpretation")):
        for coding in mappings(concept.get("coding")):
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
