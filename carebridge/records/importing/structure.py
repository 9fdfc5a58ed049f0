"""Check a resource's structure against FHIR R4's own definitions, element by element.

Which elements a resource (and each data type and backbone element in it) may hold, whether each
is a list (maximum cardinality "*") or a single value, and of which type, all come from the table
generated from the official R4 StructureDefinitions (`definitions/r4_elements.json`), never from a
list written here. FHIR's JSON writes a list exactly where the maximum is "*".

Messages name the element's path (`dosageInstruction.timing.repeat`), never a value, so they carry
no health information.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

TABLE = Path(__file__).parent / "definitions" / "r4_elements.json"
# An element definition: [is a list, [type, …], the choice it belongs to (optional)].
Definition = list[Any]


@cache
def table() -> dict[str, Any]:
    """The generated R4 definitions, read once."""
    return json.loads(TABLE.read_text())


def resource_types() -> frozenset[str]:
    """Every resource type FHIR R4 defines."""
    return frozenset(table()["resources"])


def structure_problem(resource: dict[str, Any]) -> str:
    """Why this resource's structure is not FHIR R4 (the first reason found), or ""."""
    return _checker().resource(resource, "")


@cache
def _checker() -> _Checker:
    return _Checker()


# An element as the checker reads it: (is a list, its type, its primitive's JSON kind or "",
# the choice it belongs to or "").
Compiled = tuple[bool, str, str, str]


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Checker:
    """The table compiled once; each walk allocates nothing it does not report."""

    def __init__(self) -> None:
        definitions = table()
        primitives: dict[str, str] = definitions["primitives"]
        self.resources = frozenset(definitions["resources"])
        self.types: dict[str, dict[str, Compiled]] = {
            name: {
                element: _compiled(definition, primitives)
                for element, definition in elements.items()
            }
            for name, elements in {**definitions["types"], "Element": ELEMENT}.items()
        }

    def resource(self, resource: Any, path: str) -> str:
        if not isinstance(resource, dict):
            return _("'%(path)s' must be a resource (a JSON object).") % {"path": path}
        resource_type = resource.get("resourceType")
        if not isinstance(resource_type, str) or resource_type not in self.resources:
            return _("'%(path)s' has no resourceType FHIR R4 defines.") % {"path": path}
        return self.object(resource, resource_type, path, is_resource=True)

    def object(self, node: dict[str, Any], type_name: str, path: str, *, is_resource: bool) -> str:
        elements = self.types.get(type_name, {})
        choices: set[str] = set()
        for name, value in node.items():
            element = elements.get(name)
            if element is None:
                if is_resource and name == "resourceType":
                    continue
                twin = elements.get(name[1:]) if name.startswith("_") else None
                if twin is None or not twin[2]:
                    return _("'%(path)s' is not an element FHIR R4 defines there.") % {
                        "path": _join(path, name)
                    }
                problem = self.primitive_extras(value, twin[0], _join(path, name))
            else:
                if element[3]:
                    if element[3] in choices:
                        return _("'%(path)s' is a second value of a single choice.") % {
                            "path": _join(path, name)
                        }
                    choices.add(element[3])
                problem = self.element(value, element, path, name)
            if problem:
                return problem
        return ""

    def element(self, value: Any, element: Compiled, parent: str, name: str) -> str:
        is_list, code, kind, _choice = element
        if is_list is not isinstance(value, list):
            if is_list:
                message = _("'%(path)s' must be a list (FHIR R4 allows several).")
            else:
                message = _("'%(path)s' must be a single value, not a list.")
            return message % {"path": _join(parent, name)}
        for member in value if is_list else (value,):
            if kind:
                # A list of primitives holds null where only its `_element` twin has content.
                if not _is_kind(member, kind) and not (is_list and member is None):
                    return _primitive_problem(kind, _join(parent, name))
            elif code == "Resource":
                problem = self.resource(member, _join(parent, name))
                if problem:
                    return problem
            elif not isinstance(member, dict):
                return _("'%(path)s' must be an object.") % {"path": _join(parent, name)}
            else:
                problem = self.object(member, code, _join(parent, name), is_resource=False)
                if problem:
                    return problem
        return ""

    def primitive_extras(self, value: Any, is_list: bool, path: str) -> str:
        """A primitive's `_element` twin: its id and extensions (a list of them for a list)."""
        members = value if is_list and isinstance(value, list) else [value]
        for member in members:
            if member is None and is_list:
                continue
            if not isinstance(member, dict):
                return _("'%(path)s' must be an object.") % {"path": path}
            problem = self.object(member, "Element", path, is_resource=False)
            if problem:
                return problem
        return ""


def _compiled(definition: Definition, primitives: dict[str, str]) -> Compiled:
    code = definition[1][0] if definition[1] else ""
    choice = definition[2] if len(definition) > 2 else ""
    return (bool(definition[0]), code, primitives.get(code, ""), choice)


def _is_kind(value: Any, kind: str) -> bool:
    kind_of_value = type(value)
    if kind == "string":
        return kind_of_value is str
    if kind == "boolean":
        return kind_of_value is bool
    if kind == "integer":
        return kind_of_value is int
    return kind_of_value is int or kind_of_value is float


# Element itself (the base of every type) is not in the table, being no type of its own.
ELEMENT: dict[str, Definition] = {
    "id": [False, ["http://hl7.org/fhirpath/System.String"]],
    "extension": [True, ["Extension"]],
}


def _primitive_problem(kind: str, path: str) -> str:
    expected = {
        "boolean": _("true or false"),
        "integer": _("a whole number"),
        "number": _("a number"),
    }.get(kind, _("text"))
    return _("'%(path)s' must be %(expected)s.") % {"path": path, "expected": expected}
