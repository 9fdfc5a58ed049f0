"""Check a resource's JSON against a US Core profile's constraints that matter for conformance.

From the profile's snapshot: every element with a minimum of one or more must be there wherever
its parent is (`Patient.identifier.system` in each identifier); required slices whose
discriminators are simple fixed or pattern values (an Observation's `category` of
`vital-signs`, a blood pressure's systolic component) must be matched by enough items; values
fixed or patterned by the profile must match where present. Must-support elements are reported,
not failed: those the resource lacks, and those the source had that the resource lost.

Problems name element paths, never values, so a report can be printed for a real record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]
SIMPLE_DISCRIMINATORS = frozenset({"value", "pattern"})


@dataclass
class Report:
    """What the check found. `problems` fail conformance; the must-support lists only inform."""

    profile: str
    problems: list[str] = field(default_factory=list)
    must_support_absent: list[str] = field(default_factory=list)
    must_support_dropped: list[str] = field(default_factory=list)

    @property
    def is_conformant(self) -> bool:
        return not self.problems


@dataclass
class _Element:
    definition: Json
    children: list[_Element] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.definition["id"])

    @property
    def name(self) -> str:
        """The element's name in the JSON, without its slice ("value[x]", "category")."""
        return self.id.rsplit(".", 1)[-1].split(":", 1)[0]

    @property
    def slice_name(self) -> str:
        return self.id.rsplit(".", 1)[-1].partition(":")[2]

    @property
    def minimum(self) -> int:
        return int(self.definition.get("min", 0))

    @property
    def fixed(self) -> tuple[str, Any] | None:
        """("fixed" or "pattern", the value) when the profile fixes this element's value."""
        for key, value in self.definition.items():
            if key.startswith("fixed"):
                return "fixed", value
            if key.startswith("pattern"):
                return "pattern", value
        return None


def check_resource(profile: Json, resource: Json, *, source: Json | None = None) -> Report:
    """Check `resource` against the profile (a StructureDefinition with a snapshot). `source`,
    when given, is the resource as stored: must-support elements it has and the resource lacks
    are reported as dropped."""
    report = Report(profile=profile["url"])
    root = _tree(profile["snapshot"]["element"])
    if resource.get("resourceType") != profile["type"]:
        report.problems.append(f"resourceType is not {profile['type']}")
        return report
    _check(root, resource, root.id, report)
    supported = _must_support_paths(root)
    present = set(_present_paths(root, resource))
    report.must_support_absent = [path for path in supported if path not in present]
    if source is not None:
        had = set(_present_paths(root, source))
        report.must_support_dropped = [p for p in supported if p in had and p not in present]
    return report


def _tree(elements: list[Json]) -> _Element:
    nodes = {element["id"]: _Element(element) for element in elements}
    root = nodes[elements[0]["id"]]
    for element_id, node in nodes.items():
        parent_id = element_id.rpartition(".")[0]
        if parent_id in nodes:
            nodes[parent_id].children.append(node)
    return root


def values_at(node: Json, name: str) -> list[Any]:
    """The values of element `name` in a JSON object, a list always; a choice (`value[x]`) is
    any `valueQuantity`, `valueString`…; a primitive present only by its extension counts."""
    if name.endswith("[x]"):
        stem = name[:-3]
        found: list[Any] = []
        for key, value in node.items():
            if key.startswith(stem) and key[len(stem) : len(stem) + 1].isupper():
                found.extend(value if isinstance(value, list) else [value])
        return found
    value = node.get(name, node.get(f"_{name}"))
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _check(element: _Element, node: Json, path: str, report: Report) -> None:
    for child in element.children:
        values = values_at(node, child.name)
        child_path = f"{path}.{child.name}"
        if child.slice_name:
            _check_slice(element, child, values, child_path, report)
            continue
        if len(values) < child.minimum:
            report.problems.append(f"{child_path}: required, missing")
        _check_fixed(child, values, child_path, report)
        for value in values:
            if isinstance(value, dict):
                _check(child, value, child_path, report)


def _check_slice(
    parent: _Element, child: _Element, values: list[Any], path: str, report: Report
) -> None:
    sliced = next((c for c in parent.children if c.name == child.name and not c.slice_name), None)
    template = _slice_template(sliced, child)
    if template is None:
        # A slice told apart by profile, type or existence: not simple enough to check here.
        return
    matching = [value for value in values if _matches_template(value, template)]
    if len(matching) < child.minimum:
        report.problems.append(f"{path}:{child.slice_name}: required slice, missing")
    for value in matching:
        if isinstance(value, dict):
            _check(child, value, f"{path}:{child.slice_name}", report)


def _slice_template(sliced: _Element | None, child: _Element) -> list[tuple[str, Any]] | None:
    """(relative path, pattern) pairs an item must match to belong to the slice, or None."""
    slicing = (sliced.definition.get("slicing") if sliced else None) or {}
    discriminators = slicing.get("discriminator", [])
    if not discriminators or any(d["type"] not in SIMPLE_DISCRIMINATORS for d in discriminators):
        return None
    template: list[tuple[str, Any]] = []
    for discriminator in discriminators:
        relative = "" if discriminator["path"] == "$this" else discriminator["path"]
        target = _descendant(child, relative)
        fixed = target.fixed if target is not None else None
        if fixed is None:
            return None
        template.append((relative, fixed[1]))
    return template


def _descendant(element: _Element, relative: str) -> _Element | None:
    for name in [part for part in relative.split(".") if part]:
        found = next((c for c in element.children if c.name == name and not c.slice_name), None)
        if found is None:
            return None
        element = found
    return element


def _matches_template(value: Any, template: list[tuple[str, Any]]) -> bool:
    return all(
        any(matches_pattern(found, pattern) for found in _follow(value, relative))
        for relative, pattern in template
    )


def _follow(value: Any, relative: str) -> list[Any]:
    found = [value]
    for name in [part for part in relative.split(".") if part]:
        found = [item for node in found if isinstance(node, dict) for item in values_at(node, name)]
    return found


def matches_pattern(value: Any, pattern: Any) -> bool:
    """FHIR pattern matching: every element the pattern has is in the value with the same
    content; each item of a list in the pattern matches some item of the value's list."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            matches_pattern(value.get(key), expected) for key, expected in pattern.items()
        )
    if isinstance(pattern, list):
        items = value if isinstance(value, list) else []
        return all(any(matches_pattern(item, wanted) for item in items) for wanted in pattern)
    return bool(value == pattern)


def _check_fixed(element: _Element, values: list[Any], path: str, report: Report) -> None:
    fixed = element.fixed
    if fixed is None:
        return
    kind, expected = fixed
    for value in values:
        ok = value == expected if kind == "fixed" else matches_pattern(value, expected)
        if not ok:
            report.problems.append(f"{path}: does not match the profile's {kind} value")
            return


def _must_support_paths(root: _Element) -> list[str]:
    """Paths of must-support elements outside slices, in the profile's order."""
    return [
        path
        for element, path in _walk(root, root.id)
        if element.definition.get("mustSupport") and ":" not in element.id
    ]


def _walk(element: _Element, path: str) -> Iterator[tuple[_Element, str]]:
    for child in element.children:
        if child.slice_name:
            continue
        child_path = f"{path}.{child.name}"
        yield child, child_path
        yield from _walk(child, child_path)


def _present_paths(root: _Element, resource: Json) -> Iterator[str]:
    """The paths of the profile's elements (outside slices) that the resource has."""
    stack: list[tuple[_Element, Json, str]] = [(root, resource, root.id)]
    while stack:
        element, node, path = stack.pop()
        for child in element.children:
            if child.slice_name:
                continue
            values = values_at(node, child.name)
            if not values:
                continue
            child_path = f"{path}.{child.name}"
            yield child_path
            stack.extend((child, value, child_path) for value in values if isinstance(value, dict))
