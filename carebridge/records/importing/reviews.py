"""Uncertain patient matches: hold the incoming resources, then import them once staff decide."""

from __future__ import annotations

import copy
import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_event
from carebridge.records.importing.bundles import Item
from carebridge.records.importing.matching import Incoming, ReviewReason
from carebridge.records.importing.patients import add_identifiers, create_patient
from carebridge.records.importing.references import Resolver
from carebridge.records.importing.storing import name_of, store_group
from carebridge.records.importing.validation import SHARED_TYPES
from carebridge.records.models import (
    ClinicalResource,
    MatchStatus,
    PatientMatchReview,
    ResourceVersion,
)
from carebridge.records.services import StoreCounts

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic
    from carebridge.patients.models import Patient
    from carebridge.records.models import ImportJob


class ReviewAlreadyDecidedError(Exception):
    """Someone decided this review first (two members of staff, or a repeated click)."""


def hold_for_review(
    *,
    clinic: Clinic,
    job: ImportJob | None,
    candidate: Patient,
    incoming: Incoming,
    reason: ReviewReason,
    reference: str,
    resources: list[dict[str, Any]],
    source: str,
) -> bool:
    """Keep an uncertain patient's checked resources until staff decide. False if already held.

    `resources` have their final ids and references, except that references to the incoming
    patient are `reference`, rewritten to the portal patient's once decided. The same incoming
    patient already waiting for review (a file imported twice) is not held a second time.
    """
    described = {**incoming.as_json(), "reference": reference, "reason": str(reason)}
    pending = PatientMatchReview.objects.filter(
        clinic=clinic, candidate=candidate, status=MatchStatus.PENDING
    ).only("id", "incoming")
    if any(_same_incoming(review.incoming, described) for review in pending):
        return False
    PatientMatchReview.objects.create(
        clinic=clinic,
        import_job=job,
        candidate=candidate,
        incoming=described,
        resources=resources,
        source=source[:255],
    )
    return True


def _same_incoming(held: dict[str, Any], incoming: dict[str, Any]) -> bool:
    keys = ("given_name", "family_name", "birth_date", "identifiers")
    return all(held.get(key) == incoming[key] for key in keys)


def decide_match_review(
    *,
    actor: User,
    clinic: Clinic,
    review_id: int,
    same_person: bool,
    request: HttpRequest | None = None,
) -> PatientMatchReview:
    """Import a held patient's resources into the candidate, or into a new patient.

    "Same person" also gives the candidate the incoming identifiers, so the next import
    matches at once. The held copy of the resources is emptied once they are stored.
    Audit: an "update" event on the match review, naming the patient the resources went to
    (and a "create" event for a new patient), inside the transaction.
    Raises `ReviewAlreadyDecidedError` if it was decided already, and `ResourceConflictError`
    (nothing changed) when a resource id belongs to another patient.
    """
    with transaction.atomic():
        review = (
            PatientMatchReview.objects.select_for_update(of=("self",))
            .select_related("candidate", "import_job")
            .get(pk=review_id, clinic=clinic)
        )
        if review.status != MatchStatus.PENDING:
            raise ReviewAlreadyDecidedError
        person = Incoming.from_json(review.incoming)
        if same_person:
            patient = review.candidate
            add_identifiers(patient, person.identifiers)
        else:
            resource = next(r for r in review.resources if r.get("resourceType") == "Patient")
            patient = create_patient(
                clinic, person, resource, uuid.uuid4(), actor=actor, request=request
            )
        import_held_resources(review=review, clinic=clinic, patient=patient, actor=actor)
        review.status = MatchStatus.MERGED if same_person else MatchStatus.SEPARATE
        review.decided_by, review.decided_at, review.resources = actor, timezone.now(), []
        review.save(update_fields=["status", "decided_by", "decided_at", "resources"])
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="match_review",
            object_id=review.pk,
            patient=patient,
            acting_as="staff",
            request=request,
        )
    return review


def import_held_resources(
    *, review: PatientMatchReview, clinic: Clinic, patient: Patient, actor: User
) -> StoreCounts:
    """Link the held resources to `patient` and store them, in the caller's transaction."""
    target = f"Patient/{patient.pk}"
    resolver = Resolver({review.incoming["reference"]: target})
    for resource in review.resources:
        if resource.get("resourceType") == "Patient":
            resource["id"] = str(patient.pk)
        resolver.walk(Item(review.source, "", resource))
    names = {f"{r['resourceType']}/{r['id']}": name_of(r) for r in review.resources}
    counts = store_group(
        clinic=clinic,
        patient=patient,
        resources=[(review.source, resource) for resource in review.resources],
        names=names,
        job=review.import_job,
        actor=actor,
    )
    _relink_shared(review=review, clinic=clinic, target=target, actor=actor)
    return counts


def _relink_shared(*, review: PatientMatchReview, clinic: Clinic, target: str, actor: User) -> None:
    """Shared resources of the same import that name the held patient (a Group's members)
    are rewritten to the portal patient, as a new version: no link is left to an id that
    never existed. Audit: `store_resources` records the import, in the caller's transaction.
    """
    held = Resolver({review.incoming["reference"]: target})
    changed = []
    for row in _same_import_shared(clinic, review):
        resource = copy.deepcopy(row.resource)
        held.walk(Item(review.source, "", resource))
        if resource != row.resource:
            changed.append((row.source, resource))
    if changed:
        store_group(
            clinic=clinic,
            patient=None,
            resources=changed,
            names={},
            job=review.import_job,
            actor=actor,
        )


def _same_import_shared(clinic: Clinic, review: PatientMatchReview) -> QuerySet[ClinicalResource]:
    """The clinic's shared resources that may point at patients, stored by the same import."""
    same_import = Q(source=review.source)
    if review.import_job_id is not None:
        versions = ResourceVersion.objects.filter(import_job=review.import_job_id)
        same_import |= Q(pk__in=versions.values("resource"))
    return (
        ClinicalResource.objects.filter(same_import, clinic=clinic, patient__isnull=True)
        .exclude(resource_type__in=SHARED_TYPES)
        .only("resource", "source")
    )
