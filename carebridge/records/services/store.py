"""Storing resources in the record store, with their versions and index columns.

`store_resources` is the one way resources enter the store, for imports and the demo alike. It
writes in bulk, a constant number of queries per few hundred resources, so a large export
imports quickly, and it keeps every version.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.proxies.kept import forget_for_patients
from carebridge.records.bulk import insert_rows
from carebridge.records.exports.bundle_links import entry_uuid
from carebridge.records.indexing import DisplayFor, MedicationFor, index_columns
from carebridge.records.indexing.medications import (
    MEDICATION_USES,
    medication_code,
    referenced_medication_ids,
)
from carebridge.records.models import (
    ClinicalResource,
    ImportJob,
    Release,
    ResourceVersion,
)
from carebridge.records.services.results import RESULT_TYPES, is_new_result, notify_new_results

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic
    from carebridge.patients.models import Patient

BATCH = 500
# How the index names what a resource points at: people and places, and medicines.
Lookups = tuple[DisplayFor, MedicationFor]
INDEX_FIELDS = [
    "category",
    "code_system",
    "code",
    "code_display",
    "status",
    "clinical_status",
    "effective_at",
    "effective_end",
    "issued_at",
    "value_numeric",
    "value_unit",
    "value_text",
    "interpretation",
    "reference_low",
    "reference_high",
    "reference_text",
    "components",
    "performer",
    "detail",
    "encounter_id",
    "is_sensitive",
]
UPDATE_FIELDS = ["version", "content_hash", "resource", "source", "updated_at", *INDEX_FIELDS]


class ResourceConflictError(Exception):
    """A resource id that already belongs to another patient: the import must not take it."""


@dataclass
class StoreCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_results: int = 0
    created_ids: list[int] = field(default_factory=list)
    # Billing resources stored but not billed: ("Type/id", plain reason).
    not_billed: list[tuple[str, str]] = field(default_factory=list)


def canonical_hash(resource: Mapping[str, Any]) -> str:
    """SHA-256 of the resource as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(resource, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def display_from_reference(reference: Mapping[str, Any] | None) -> str:
    """The default `DisplayFor`: the reference's own display text."""
    return str(reference.get("display") or "") if reference else ""


def store_resources(
    *,
    clinic: Clinic,
    patient: Patient | None,
    resources: Sequence[dict[str, Any]],
    source: str,
    actor: User | None = None,
    import_job: ImportJob | None = None,
    display_for: DisplayFor = display_from_reference,
    notify: bool = True,
) -> StoreCounts:
    """Store resources (ids and references already final) for one patient, or shared ones.

    Identical content changes nothing; changed content becomes a new version. Results in a
    category the clinic holds are stored as held. Audit: one "import" event per patient when
    anything was created or changed, inside this transaction. The patient is e-mailed (with no
    health information) once, after commit, when new results reach them, unless `notify` is
    off (the importer then e-mails once per patient for the whole import).
    Raises `ResourceConflictError` when an id already belongs to another patient.
    """
    counts = StoreCounts()
    now = timezone.now()
    with transaction.atomic():
        existing = _existing(clinic, resources)
        lookups: Lookups = (display_for, _medications_named(clinic, resources).get)
        new_rows, changed_rows, versions = [], [], []
        for resource in resources:
            digest = canonical_hash(resource)
            current = existing.get((resource["resourceType"], resource["id"]))
            if current is None:
                new_rows.append(_new_row(clinic, patient, resource, digest, source, lookups, now))
            elif current.patient_id != (patient.pk if patient else None):
                raise ResourceConflictError(f"{resource['resourceType']}/{resource['id']}")
            elif current.content_hash == digest:
                counts.unchanged += 1
            else:
                changed_rows.append(_changed_row(current, resource, digest, source, lookups))
        insert_rows(ClinicalResource, new_rows)
        _set_primary_keys(clinic, new_rows)
        ClinicalResource.objects.bulk_update(changed_rows, UPDATE_FIELDS, batch_size=BATCH)
        versions = [_version(row, source, import_job, now) for row in [*new_rows, *changed_rows]]
        insert_rows(ResourceVersion, versions)
        _rename_medicines_using([*new_rows, *changed_rows], clinic)
        counts.created, counts.updated = len(new_rows), len(changed_rows)
        counts.created_ids = [row.pk for row in new_rows]
        counts.new_results = sum(1 for row in new_rows if is_new_result(row))
        if patient is not None and (new_rows or changed_rows):
            record_event(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="record",
                object_id=import_job.pk if import_job else "",
                patient=patient,
                acting_as="staff" if actor else "system",
            )
            counts.not_billed = _bill([*new_rows, *changed_rows], patient, actor, now)
            # The record's counts kept for the patient and their helpers are counted again.
            forget_for_patients([patient.pk])
        if notify and patient is not None and counts.new_results:
            notify_new_results(patient)
    return counts


def _bill(
    rows: Sequence[ClinicalResource],
    patient: Patient,
    actor: User | None,
    now: datetime.datetime,
) -> list[tuple[str, str]]:
    """Charges, statements and insurance from the patient's stored billing rows, in this
    transaction (billing is imported lazily: the record store does not need it otherwise)."""
    from carebridge.billing.fhir import BILLING_TYPES, import_billing
    from carebridge.core.actor import Actor

    billing_rows = [row for row in rows if row.resource_type in BILLING_TYPES]
    if not billing_rows:
        return []
    who = Actor(user=actor, acting_as="staff" if actor else "system", now=now)
    skipped = import_billing(actor=who, patient=patient, rows=billing_rows)
    return [(item.reference, item.reason) for item in skipped]


def _medications_named(
    clinic: Clinic, resources: Sequence[Mapping[str, Any]]
) -> dict[str, Mapping[str, Any]]:
    """The Medications these resources name by reference, from the batch or the store (one
    query), so that the index names the medicine a `medicationReference` points at."""
    wanted = referenced_medication_ids(resources)
    if not wanted:
        return {}
    found: dict[str, Mapping[str, Any]] = {
        f"Medication/{fhir_id}": resource
        for fhir_id, resource in ClinicalResource.objects.filter(
            clinic=clinic, resource_type="Medication", fhir_id__in=wanted
        ).values_list("fhir_id", "resource")
    }
    for resource in resources:
        if resource["resourceType"] == "Medication" and resource["id"] in wanted:
            found[f"Medication/{resource['id']}"] = resource
    return found


def _rename_medicines_using(rows: Sequence[ClinicalResource], clinic: Clinic) -> None:
    """A Medication stored or changed after the requests that name it (a later file, a later
    import): re-name those stored requests, statements, administrations and dispenses in the
    index, so that no page says "Medicine name not recorded" for them. One query and one bulk
    update, whatever the record's size; only the code columns change, not the content."""
    medications = {
        f"Medication/{row.fhir_id}": row.resource
        for row in rows
        if row.resource_type == "Medication"
    }
    if not medications:
        return
    users = list(
        ClinicalResource.objects.filter(
            clinic=clinic,
            resource_type__in=MEDICATION_USES,
            resource__medicationReference__reference__in=list(medications),
        ).only("pk", "resource")
    )
    for row in users:
        code = medication_code(row.resource, medications.get)
        row.code_system = code.get("system", "")
        row.code = code.get("code", "")
        row.code_display = code.get("display", "")
    ClinicalResource.objects.bulk_update(
        users, ["code_system", "code", "code_display"], batch_size=BATCH
    )


def _set_primary_keys(clinic: Clinic, rows: Sequence[ClinicalResource]) -> None:
    """Fill in the ids the database gave newly inserted rows, found by their unique key."""
    by_type: dict[str, dict[str, ClinicalResource]] = {}
    for row in rows:
        by_type.setdefault(row.resource_type, {})[row.fhir_id] = row
    for resource_type, rows_by_id in by_type.items():
        ids = list(rows_by_id)
        for start in range(0, len(ids), BATCH):
            found = ClinicalResource.objects.filter(
                clinic=clinic, resource_type=resource_type, fhir_id__in=ids[start : start + BATCH]
            ).values_list("fhir_id", "id")
            for fhir_id, pk in found:
                rows_by_id[fhir_id].pk = pk


def _existing(
    clinic: Clinic, resources: Iterable[Mapping[str, Any]]
) -> dict[tuple[str, str], ClinicalResource]:
    ids_by_type: dict[str, list[str]] = {}
    for resource in resources:
        ids_by_type.setdefault(resource["resourceType"], []).append(resource["id"])
    found: dict[tuple[str, str], ClinicalResource] = {}
    for resource_type, ids in ids_by_type.items():
        for start in range(0, len(ids), BATCH):
            rows = ClinicalResource.objects.filter(
                clinic=clinic, resource_type=resource_type, fhir_id__in=ids[start : start + BATCH]
            ).only("id", "resource_type", "fhir_id", "content_hash", "version", "patient_id")
            found.update({(row.resource_type, row.fhir_id): row for row in rows})
    return found


def _new_row(
    clinic: Clinic,
    patient: Patient | None,
    resource: dict[str, Any],
    digest: str,
    source: str,
    lookups: Lookups,
    now: datetime.datetime,
) -> ClinicalResource:
    row = ClinicalResource(
        clinic=clinic,
        patient=patient,
        resource_type=resource["resourceType"],
        fhir_id=resource["id"],
        api_id=entry_uuid(clinic.pk, (resource["resourceType"], resource["id"])),
        content_hash=digest,
        resource=resource,
        source=source[:255],
        created_at=now,
        updated_at=now,
        **index_columns(resource, *lookups),
    )
    if row.resource_type in RESULT_TYPES and row.category in clinic.held_result_categories:
        row.release = Release.HELD
    else:
        row.release, row.released_at = Release.RELEASED, now
    if not _is_recent(row, now):
        # History arriving with a first import is not news: it is not marked new.
        row.seen_at = now
    return row


def _is_recent(row: ClinicalResource, now: datetime.datetime) -> bool:
    when = row.issued_at or row.effective_at
    cutoff = now - datetime.timedelta(days=settings.CAREBRIDGE_NEW_RESULT_DAYS)
    return when is None or when >= cutoff


def _changed_row(
    row: ClinicalResource,
    resource: dict[str, Any],
    digest: str,
    source: str,
    lookups: Lookups,
) -> ClinicalResource:
    row.version += 1
    row.content_hash, row.resource, row.source = digest, resource, source[:255]
    row.updated_at = timezone.now()
    for name, value in index_columns(resource, *lookups).items():
        setattr(row, name, value)
    return row


def _version(
    row: ClinicalResource, source: str, import_job: ImportJob | None, now: datetime.datetime
) -> ResourceVersion:
    return ResourceVersion(
        resource=row,
        version=row.version,
        content_hash=row.content_hash,
        body=row.resource,
        source=source[:255],
        import_job=import_job,
        recorded_at=now,
    )
