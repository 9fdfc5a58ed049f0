"""Small FHIR export files for the import tests: patients, bundles, NDJSON, written to disk."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from carebridge.clinic.models import Clinic
from carebridge.records.importing.pipeline import import_files
from carebridge.records.importing.readers import find_files

LOINC = "http://loinc.org"
HOSPITAL = "http://hospital.example.org/mrn"
MR_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]}


def patient(
    resource_id: str = "p1",
    *,
    given: str = "Ada",
    family: str = "Lovelace",
    birth_date: str = "1950-12-10",
    identifiers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": resource_id,
        "identifier": identifiers
        if identifiers is not None
        else [{"type": MR_TYPE, "system": HOSPITAL, "value": f"H-{resource_id}"}],
        "name": [{"use": "official", "family": family, "given": [given]}],
        "gender": "female",
        "birthDate": birth_date,
        "telecom": [{"system": "phone", "value": "555-0199"}],
        "address": [{"line": ["1 Main St"], "city": "Salem", "state": "MA", "postalCode": "01970"}],
        "communication": [{"language": {"coding": [{"code": "es-MX"}]}}],
    }


def observation(
    resource_id: str | None, subject: str, *, value: float = 5.4, **extra: Any
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [{"coding": [{"code": "laboratory"}]}],
        "code": {"coding": [{"system": LOINC, "code": "2345-7", "display": "Glucose"}]},
        "subject": {"reference": subject},
        "effectiveDateTime": "2020-01-02T09:00:00Z",
        "valueQuantity": {"value": value, "unit": "mmol/L"},
        **extra,
    }
    if resource_id is not None:
        resource["id"] = resource_id
    return resource


def practitioner(resource_id: str, family: str = "Chen", given: str = "Maya") -> dict[str, Any]:
    return {
        "resourceType": "Practitioner",
        "id": resource_id,
        "name": [{"family": family, "given": [given], "suffix": ["MD"]}],
    }


def entry(resource: dict[str, Any], full_url: str | None = None) -> dict[str, Any]:
    url = full_url or f"urn:uuid:{resource.get('id', 'x')}"
    return {"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": "x"}}


def bundle(*entries: dict[str, Any], kind: str = "transaction") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def write_json(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    text = json.dumps(document).encode()
    path.write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    return path


def write_ndjson(folder: Path, name: str, lines: list[Any]) -> Path:
    path = folder / name
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    )
    return path


def run(clinic: Clinic, *paths: Path) -> dict[str, Any]:
    """Import the files or folders and return the summary as JSON."""
    return import_files(clinic=clinic, files=find_files(paths)).as_json()


def summary(
    *,
    patients: int = 0,
    resources: dict[str, int] | None = None,
    created: int = 0,
    updated: int = 0,
    unchanged: int = 0,
    skipped: int = 0,
    waiting_for_review: int = 0,
    errors: list[dict[str, str]] | None = None,
    warnings: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """An expected summary, for exact comparison."""
    return {
        "patients": patients,
        "resources": resources or {},
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "skipped": skipped,
        "waiting_for_review": waiting_for_review,
        "errors": errors or [],
        "warnings": warnings or [],
    }


def error(source: str, position: str, message: str) -> dict[str, str]:
    return {"source": source, "position": position, "message": message}


def three_patients(folder: Path) -> list[Path]:
    """Three exports, one patient and one result each: three files, three groups."""
    names = [("1-ada.json", "Ada"), ("2-bea.json", "Bea"), ("3-cy.json", "Cy")]
    return [
        write_json(
            folder,
            name,
            bundle(
                entry(patient(f"p-{given}", given=given)),
                entry(observation(f"o-{given}", f"urn:uuid:p-{given}")),
            ),
        )
        for name, given in names
    ]


# The summary of importing `three_patients` once, whole.
WHOLE = {
    "patients": 3,
    "resources": {"Observation": 3, "Patient": 3},
    "created": 6,
    "updated": 0,
    "unchanged": 0,
    "skipped": 0,
    "waiting_for_review": 0,
    "errors": [],
    "warnings": [],
}


def lose_the_database_at_group(monkeypatch: Any, number: int) -> Any:
    """Make storing the `number`th patient group (from 1) fail as a lost connection does;
    return the real `store_group`, to put back."""
    from django.db import OperationalError

    from carebridge.records.importing import pipeline

    real = pipeline.store_group
    calls: list[int] = []

    def failing(**arguments: Any) -> Any:
        calls.append(1)
        if len(calls) == number:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**arguments)

    monkeypatch.setattr(pipeline, "store_group", failing)
    return real
