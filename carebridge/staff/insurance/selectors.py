"""Reads for the insurance review pages, each bounded to the staff member's own clinic."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from carebridge.billing.models import CoverageStatus, InsuranceCoverage
from carebridge.clinic.models import Clinic


def list_waiting_changes(clinic: Clinic) -> QuerySet[InsuranceCoverage]:
    """The clinic's changes waiting for review, oldest first, with their patients (one query
    per page)."""
    return (
        InsuranceCoverage.objects.filter(clinic=clinic, status=CoverageStatus.PENDING)
        .select_related("patient", "submitted_by")
        .order_by("created_at", "pk")
    )


def get_clinic_coverage(clinic: Clinic, coverage_id: uuid.UUID) -> InsuranceCoverage:
    """One coverage of a patient of the clinic; 404 when missing or another clinic's."""
    coverage = (
        InsuranceCoverage.objects.filter(pk=coverage_id, clinic=clinic)
        .select_related("patient", "submitted_by", "reviewed_by")
        .first()
    )
    if coverage is None:
        raise Http404
    return coverage
