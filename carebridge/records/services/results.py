"""Results: which are new for the patient, telling them, releasing held ones, marking seen.

Privacy rule: notices name no result, test or value. Audit: releases and settings changes are
recorded in their transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.accounts.languages import in_language_of
from carebridge.audit.models import AuditAction
from carebridge.audit.services import record_change, record_event
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services.outbox import queue_notice
from carebridge.proxies.kept import forget_for_patients
from carebridge.records.models import RESULT_CATEGORIES, ClinicalResource, Release

if TYPE_CHECKING:
    from carebridge.accounts.models import User
    from carebridge.clinic.models import Clinic
    from carebridge.patients.models import Patient

# Resource types whose release a clinic may hold for clinician review.
RESULT_TYPES = ("Observation", "DiagnosticReport")


def is_new_result(row: ClinicalResource) -> bool:
    """A released, unseen Observation in a result category (not a vital sign or survey)."""
    return (
        row.resource_type == "Observation"
        and row.category in RESULT_CATEGORIES
        and row.release == Release.RELEASED
        and row.seen_at is None
    )


def notify_new_results(patient: Patient) -> None:
    """Write the patient a notice that something new is in their record, to the outbox.

    Privacy rule: the e-mail names no result, test or value: only that there is something new.
    """
    if patient.user is None or not patient.user.email:
        return
    link = settings.CAREBRIDGE_BASE_URL + reverse("records:results")
    # Released by the clinic or an import: written in the patient's language, not the actor's.
    with in_language_of(patient.user):
        queue_notice(
            kind=NoticeKind.RESULT,
            address=patient.user.email,
            subject=_("[Carebridge] Something new in your health record"),
            body=render_to_string("records/email/new_results.txt", {"link": link}),
            clinic=patient.clinic,
        )


def release_results(
    *, actor: User, clinic: Clinic, resource_ids: Sequence[int]
) -> list[ClinicalResource]:
    """Release held results of the actor's clinic to their patients.

    Audit: one "release" event per result, inside the transaction. Each patient gets one
    e-mail (no health information) after commit. Releasing an already released result does
    nothing, so a repeated click is harmless.
    """
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            ClinicalResource.objects.select_for_update(of=("self",))
            .filter(clinic=clinic, pk__in=resource_ids, release=Release.HELD)
            .select_related("patient__user")
        )
        for row in rows:
            row.release, row.released_at, row.released_by = Release.RELEASED, now, actor
            row.seen_at = None
            record_event(
                actor=actor,
                action=AuditAction.RELEASE,
                object_type="result",
                object_id=row.pk,
                patient=row.patient,
                acting_as="staff",
            )
        ClinicalResource.objects.bulk_update(
            rows, ["release", "released_at", "released_by", "seen_at"]
        )
        patients = {row.patient for row in rows if row.patient is not None}
        # The record's counts kept for these patients and their helpers are counted again.
        forget_for_patients([patient.pk for patient in patients])
        for patient in patients:
            notify_new_results(patient)
    return rows


def mark_seen(*, patient: Patient, resource_ids: Sequence[int]) -> int:
    """Mark the patient's own results as seen (no longer new). Returns how many changed.

    Only the patient themself marks results seen: staff and proxies reading them do not.
    """
    with transaction.atomic():
        changed = (
            ClinicalResource.objects.for_patient(patient.pk)
            .filter(pk__in=resource_ids, seen_at__isnull=True)
            .update(seen_at=timezone.now())
        )
        if changed:
            # The "new" counts kept for the patient and their helpers are counted again.
            forget_for_patients([patient.pk])
    return changed


def set_held_result_categories(
    *, actor: User, clinic: Clinic, categories: Sequence[str], request: Any = None
) -> None:
    """Choose which result categories wait for a clinician before patients see them.

    Applies to results imported from now on; results already stored keep their state. Audit:
    one "update" of the clinic's settings (no patient) with the categories before and after,
    inside the transaction; nothing when the choice is unchanged.
    """
    chosen = [category for category in RESULT_CATEGORIES if category in set(categories)]
    with transaction.atomic():
        before = list(clinic.held_result_categories)
        clinic.held_result_categories = chosen
        clinic.save(update_fields=["held_result_categories"])
        record_change(
            actor=actor,
            object_type="clinic_settings",
            object_id=clinic.pk,
            before={"held_result_categories": before},
            after={"held_result_categories": chosen},
            request=request,
        )
