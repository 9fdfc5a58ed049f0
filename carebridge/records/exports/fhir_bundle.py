"""The record as a FHIR R4 Bundle (type "collection"), written out piece by piece.

The Patient comes first (the stored Patient resource when there is one, else one built from the
portal's patient row), then the chosen resources as stored, then every resource they point to
that the viewer may see (`bundle_links`). Each resource is exactly what the FHIR API serves
for it (`bundle_links.rekey`: its id and references re-keyed to the API's ids), and its fullUrl
is its address in the API, so every link between entries resolves, in the file and on the
server. The chosen rows are read twice, in chunks (once for their ids and references, once to
write them), so a large record never sits in memory whole, and the number of queries does not
grow with it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.conf import settings

from carebridge.records.exports.bundle_links import (
    Json,
    Key,
    linked_resources,
    references_in,
    rekey,
)
from carebridge.records.exports.selection import Selection, selected_resources
from carebridge.records.identifiers import MRN_TYPE_CODE, MRN_TYPE_SYSTEM, mrn_system
from carebridge.records.models import ResourceType

if TYPE_CHECKING:
    from carebridge.patients.models import Patient
    from carebridge.records.scope import RecordScope

CHUNK_SIZE = 500


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
    rows = selected_resources(scope, selection).order_by("resource_type", "effective_at", "pk")
    rows = rows.only("resource_type", "fhir_id", "resource")
    chosen: set[Key] = {("Patient", str(patient.pk))}
    pointed: set[Key] = set()
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chosen.add((row.resource_type, row.fhir_id))
        pointed |= references_in(row.resource)
    linked = linked_resources(scope, pointed, chosen)
    clinic_id = patient.clinic_id
    yield json.dumps(header, ensure_ascii=False)[:-1] + ', "entry": [\n'
    yield _entry(patient_resource(scope), clinic_id)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield ",\n" + _entry(row.resource, clinic_id)
    for key in sorted(linked):
        yield ",\n" + _entry(linked[key], clinic_id)
    yield "\n]}\n"


def _entry(resource: Json, clinic_id: object) -> str:
    served = rekey(resource, clinic_id)
    address = f"{settings.CAREBRIDGE_BASE_URL}/fhir/{served['resourceType']}/{served['id']}"
    return json.dumps({"fullUrl": address, "resource": served}, ensure_ascii=False)


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
