"""The record as a FHIR R4 Bundle (type "collection"), written out piece by piece.

The Patient comes first (the stored Patient resource when there is one, else one built from the
portal's patient row), then the chosen resources as stored, then the shared Practitioners,
Organizations and Locations they refer to that the store holds. Rows are read in chunks, so a
large record never sits in memory whole, and the number of queries does not grow with it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings

from carebridge.records.exports.selection import Selection, selected_resources
from carebridge.records.identifiers import MRN_TYPE_CODE, MRN_TYPE_SYSTEM, mrn_system
from carebridge.records.models import ClinicalResource, ResourceType

if TYPE_CHECKING:
    from carebridge.patients.models import Patient
    from carebridge.records.scope import RecordScope

CHUNK_SIZE = 500
# Shared resources a patient's resources point at, which the bundle carries along.
SHARED_TYPES = ("Practitioner", "PractitionerRole", "Organization", "Location")
Json = dict[str, Any]


def full_url(resource_type: str, fhir_id: str) -> str:
    """Where Carebridge serves the resource, so relative references resolve inside the bundle."""
    return f"{settings.CAREBRIDGE_BASE_URL}/fhir/{resource_type}/{fhir_id}"


def bundle_chunks(
    scope: RecordScope, selection: Selection, now: datetime.datetime
) -> Iterator[str]:
    """The Bundle's JSON text in pieces: header, one entry at a time, footer.

    Privacy rule: only what the viewer's scope lets them see of the patient's own resources
    (see `selected_resources`) and the shared resources they refer to; nothing of any other
    patient.
    """
    patient = scope.patient
    header = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": _instant(now)},
        "type": "collection",
        "timestamp": _instant(now),
    }
    yield json.dumps(header, ensure_ascii=False)[:-1] + ', "entry": [\n'
    yield _entry(patient_resource(scope))
    references: set[tuple[str, str]] = set()
    rows = selected_resources(scope, selection).order_by("resource_type", "effective_at", "pk")
    for row in rows.only("resource_type", "fhir_id", "resource").iterator(chunk_size=CHUNK_SIZE):
        references.update(shared_references(row.resource))
        yield ",\n" + _entry(row.resource)
    for resource in referenced_shared(patient, references):
        yield ",\n" + _entry(resource)
    yield "\n]}\n"


def _entry(resource: Mapping[str, Any]) -> str:
    entry = {"fullUrl": full_url(resource["resourceType"], resource["id"]), "resource": resource}
    return json.dumps(entry, ensure_ascii=False)


def _instant(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def patient_resource(scope: RecordScope) -> Json:
    """The stored Patient resource for this patient, else one built from the portal's row."""
    patient = scope.patient
    stored = (
        scope.resources()
        .of_type(ResourceType.PATIENT)
        .filter(fhir_id=str(patient.pk))
        .only("resource")
        .first()
    )
    return dict(stored.resource) if stored is not None else built_patient(patient)


def built_patient(patient: Patient) -> Json:
    """A FHIR Patient from the portal's own row: identifiers, name, sex, birth date, contact."""
    name: Json = {"use": "official", "family": patient.family_name, "given": [patient.given_name]}
    resource: Json = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "identifier": [
            {
                "type": {"coding": [{"system": MRN_TYPE_SYSTEM, "code": MRN_TYPE_CODE}]},
                "system": mrn_system(patient.clinic),
                "value": patient.mrn,
            }
        ],
        "name": [name],
        "gender": patient.sex or "unknown",
        "birthDate": patient.birth_date.isoformat(),
    }
    telecom = [
        {"system": system, "value": value}
        for system, value in (("phone", patient.phone), ("email", patient.email))
        if value
    ]
    if telecom:
        resource["telecom"] = telecom
    if patient.address_line or patient.city:
        resource["address"] = [_address(patient)]
    resource["communication"] = [
        {
            "language": {
                "coding": [{"system": "urn:ietf:bcp:47", "code": patient.preferred_language}]
            }
        }
    ]
    return resource


def _address(patient: Patient) -> Json:
    address: Json = {"use": "home"}
    if patient.address_line:
        address["line"] = [patient.address_line]
    for key, value in (
        ("city", patient.city),
        ("state", patient.state),
        ("postalCode", patient.postal_code),
    ):
        if value:
            address[key] = value
    return address


def shared_references(value: Any) -> set[tuple[str, str]]:
    """Every ("Practitioner", id)-style reference to a shared resource inside a resource."""
    found: set[tuple[str, str]] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Mapping):
            reference = item.get("reference")
            if isinstance(reference, str) and reference.count("/") == 1:
                resource_type, fhir_id = reference.split("/")
                if resource_type in SHARED_TYPES and fhir_id:
                    found.add((resource_type, fhir_id))
            stack.extend(item.values())
    return found


def referenced_shared(patient: Patient, references: set[tuple[str, str]]) -> Iterator[Json]:
    """The shared resources of the patient's clinic among these references, in batches."""
    ordered = sorted(references)
    for start in range(0, len(ordered), CHUNK_SIZE):
        batch = ordered[start : start + CHUNK_SIZE]
        rows = ClinicalResource.objects.filter(
            clinic_id=patient.clinic_id,
            patient__isnull=True,
            resource_type__in={resource_type for resource_type, _id in batch},
            fhir_id__in={fhir_id for _type, fhir_id in batch},
        ).order_by("resource_type", "fhir_id")
        wanted = set(batch)
        for row in rows.only("resource_type", "fhir_id", "resource"):
            if (row.resource_type, row.fhir_id) in wanted:
                yield row.resource
