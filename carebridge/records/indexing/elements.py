"""Reading FHIR JSON safely: a dotted path, the objects in a list, text, numbers, codes and
references, each giving an empty value for a missing or malformed element."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Json = Mapping[str, Any]
DisplayFor = Callable[[Json | None], str]

LOINC = "http://loinc.org"


def get_path(resource: Json, path: str) -> Any:
    value: Any = resource
    for part in path.split("."):
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The objects in a list element; nothing for a malformed one (a string, a number)."""
    if isinstance(value, Mapping):
        value = [value]
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def as_text(value: Any, limit: int = 255) -> str:
    return str(value)[:limit] if value is not None else ""


def codeable(resource: Json, element: str) -> dict[str, str]:
    """The first coding (LOINC first, where there is one) and a display for it."""
    concept = get_path(resource, element)
    if isinstance(concept, list):
        concept = concept[0] if concept else None
    if not isinstance(concept, Mapping):
        return {}
    codings = mappings(concept.get("coding"))
    codings.sort(key=lambda coding: coding.get("system") != LOINC)
    first = codings[0] if codings else {}
    display = concept.get("text") or first.get("display") or first.get("code") or ""
    return {
        "system": as_text(first.get("system")),
        "code": as_text(first.get("code"), 64),
        "display": as_text(display),
    }


def reference_id(reference: Any) -> str:
    """The id in "Encounter/abc" (or a contained "#abc"); empty for anything else."""
    if isinstance(reference, list):
        reference = reference[0] if reference else None
    text = reference.get("reference") if isinstance(reference, Mapping) else None
    if not isinstance(text, str):
        return ""
    return text.rsplit("/", 1)[-1].lstrip("#")[:64]


def as_number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
