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
    return _Checker().resource(resource, "")


class _Checker:
    def __init__(self) -> None:
        definitions = table()
        self.types: dict[str, dict[str, Definition]] = {
            **definitions["types"],
            "Element": ELEMENT,
        }
        self.primitives: dict[str, str] = definitions["primitives"]
        self.resources = frozenset(definitions["resources"])

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
            where = f"{path}.{name}" if path else name
            if is_resource and name == "resourceType":
                continue
            if name.startswith("_") and name[1:] in elements:
                problem = self.primitive_extras(value, elements[name[1:]], where)
            elif name not in elements:
                return _("'%(path)s' is not an element FHIR R4 defines there.") % {"path": where}
            else:
                definition = elements[name]
                if len(definition) > 2:
                    if definition[2] in choices:
                        return _("'%(path)s' is a second value of a single choice.") % {
                            "path": where
                        }
                    choices.add(definition[2])
                problem = self.element(value, definition, where)
            if problem:
                return problem
        return ""

    def element(self, value: Any, definition: Definition, path: str) -> str:
        is_list, codes = definition[0], definition[1]
        if is_list != isinstance(value, list):
            if is_list:
                return _("'%(path)s' must be a list (FHIR R4 allows several).") % {"path": path}
            return _("'%(path)s' must be a single value, not a list.") % {"path": path}
        code = codes[0] if codes else ""
        for member in value if is_list else [value]:
            if member is None and is_list and code in self.primitives:
                # A list of primitives holds null where only its `_element` twin has content.
                continue
            problem = self.value(member, code, path)
            if problem:
                return problem
        return ""

    def value(self, value: Any, code: str, path: str) -> str:
        if code in self.primitives:
            return _primitive_problem(value, self.primitives[code], path)
        if code == "Resource":
            return self.resource(value, path)
        if not isinstance(value, dict):
            return _("'%(path)s' must be an object.") % {"path": path}
        return self.object(value, code, path, is_resource=False)

    def primitive_extras(self, value: Any, definition: Definition, path: str) -> str:
        """A primitive's `_element` twin: its id and extensions (a list of them for a list)."""
        members = value if definition[0] and isinstance(value, list) else [value]
        for member in members:
            if member is None and definition[0]:
                continue
            if not isinstance(member, dict):
                return _("'%(path)s' must be an object.") % {"path": path}
            problem = self.object(member, "Element", path, is_resource=False)
            if problem:
                return problem
        return ""


# Element itself (the base of every type) is not in the table, being no type of its own.
ELEMENT: dict[str, Definition] = {
    "id": [False, ["http://hl7.org/fhirpath/System.String"]],
    "extension": [True, ["Extension"]],
}


def _primitive_problem(value: Any, kind: str, path: str) -> str:
    if kind == "boolean":
        is_right = isinstance(value, bool)
        expected = _("true or false")
    elif kind == "integer":
        is_right = isinstance(value, int) and not isinstance(value, bool)
        expected = _("a whole number")
    elif kind == "number":
        is_right = isinstance(value, int | float) and not isinstance(value, bool)
        expected = _("a number")
    else:
        is_right = isinstance(value, str)
        expected = _("text")
    if is_right:
        return ""
    return _("'%(path)s' must be %(expected)s.") % {"path": path, "expected": expected}
