"""Write one checked group through `store_resources`: its shared resources, then the patient's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from carebridge.records.importing.validation import SHARED_TYPES
from carebridge.records.indexing import DisplayFor
from carebridge.records.models import ResourceVersion
from carebridge.records.services import StoreCounts, canonical_hash, store_resources

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic
    from carebridge.patients.models import Patient
    from carebridge.records.models import ImportJob

# (source file name, resource with final id and references)
Sourced = tuple[str, dict[str, Any]]


def store_group(
    *,
    clinic: Clinic,
    patient: Patient | None,
    resources: Sequence[Sourced],
    names: Mapping[str, str],
    job: ImportJob | None = None,
    actor: User | None = None,
) -> StoreCounts:
    """Store a checked group in the caller's transaction (so it imports whole or not at all).

    Practitioners, organisations and other shared types are stored with no patient, the rest
    with `patient`. Audit: `store_resources` records the import against the patient.
    Raises `ResourceConflictError` when an id belongs to another patient's resource.
    """
    if patient is None:
        shared, own = list(resources), []
    else:
        shared = [pair for pair in resources if pair[1]["resourceType"] in SHARED_TYPES]
        own = [pair for pair in resources if pair[1]["resourceType"] not in SHARED_TYPES]
    total = StoreCounts()
    shared, total.unchanged = _drop_already_held(clinic, shared)
    for owner, part in ((None, shared), (patient, own)):
        for source, batch in _by_source(part).items():
            counts = store_resources(
                clinic=clinic,
                patient=owner,
                resources=batch,
                source=source,
                actor=actor,
                import_job=job,
                display_for=display_lookup(names),
                # The pipeline e-mails the patient once for the whole group.
                notify=False,
            )
            add_counts(total, counts)
    return total


def add_counts(total: StoreCounts, counts: StoreCounts) -> None:
    total.created += counts.created
    total.updated += counts.updated
    total.unchanged += counts.unchanged
    total.new_results += counts.new_results
    total.created_ids += counts.created_ids
    total.not_billed += counts.not_billed


def _by_source(resources: Iterable[Sourced]) -> dict[str, list[dict[str, Any]]]:
    batches: dict[str, list[dict[str, Any]]] = {}
    for source, resource in resources:
        batches.setdefault(source, []).append(resource)
    return batches


def _drop_already_held(clinic: Clinic, shared: list[Sourced]) -> tuple[list[Sourced], int]:
    """Leave out shared resources whose exact content the store has held before.

    Exports repeat practitioners and organisations in many files, and not always alike
    (Synthea's own bundles of them carry extra extensions): a copy the store has already had
    is not news, so importing the same files again changes nothing.
    """
    if not shared:
        return shared, 0
    digests = [canonical_hash(resource) for _, resource in shared]
    held = set(
        ResourceVersion.objects.filter(
            resource__clinic=clinic,
            resource__patient__isnull=True,
            resource__resource_type__in={r["resourceType"] for _, r in shared},
            resource__fhir_id__in={r["id"] for _, r in shared},
            content_hash__in=digests,
        ).values_list("resource__resource_type", "resource__fhir_id", "content_hash")
    )
    kept = [
        pair
        for pair, digest in zip(shared, digests, strict=True)
        if (pair[1]["resourceType"], pair[1]["id"], digest) not in held
    ]
    return kept, len(shared) - len(kept)


def display_lookup(names: Mapping[str, str]) -> DisplayFor:
    """A `DisplayFor`: the reference's own display, else the name of what it points at."""

    def display_for(reference: Mapping[str, Any] | None) -> str:
        if not reference:
            return ""
        return str(reference.get("display") or names.get(reference.get("reference") or "", ""))

    return display_for


def name_of(resource: Mapping[str, Any]) -> str:
    """A practitioner's or organisation's name as lists show it ("Maya Chen, MD"), else ""."""
    if resource.get("resourceType") == "Organization":
        return str(resource.get("name") or "")
    if resource.get("resourceType") != "Practitioner":
        return ""
    names = [n for n in resource.get("name") or [] if isinstance(n, dict)]
    if not names:
        return ""
    name = names[0]
    words = [*(str(g) for g in name.get("given") or []), str(name.get("family") or "")]
    text = " ".join(word for word in words if word)
    suffix = ", ".join(str(s) for s in name.get("suffix") or [])
    return f"{text}, {suffix}" if suffix else text
