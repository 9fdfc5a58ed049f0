"""The demo's health records: imported through the real importer, the same on every run."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db.models import Count

from carebridge.patients.models import Patient
from carebridge.records.models import ClinicalResource, ResourceVersion

pytestmark = pytest.mark.django_db


def _counts_by_type() -> dict[str, int]:
    rows = (
        ClinicalResource.objects.filter(patient__isnull=False)
        .values("resource_type")
        .annotate(n=Count("id"))
    )
    return {row["resource_type"]: row["n"] for row in rows}


# Transactional: e-mails are sent when the demo's transaction really commits, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@time_machine.travel(datetime.datetime(2026, 11, 22, 15, tzinfo=datetime.UTC), tick=False)
def test_demo_records_are_rich_and_a_rerun_gives_the_same_record():
    call_command("demo", stdout=io.StringIO())
    # Synthetic people get no "something new" e-mails (and `demo --json` stays pure JSON).
    assert mail.outbox == []
    first = _counts_by_type()
    assert {name: first[name] > 0 for name in EVERY_TYPE} == dict.fromkeys(EVERY_TYPE, True)
    assert ClinicalResource.objects.filter(patient__isnull=True).count() == 6
    # Every demo patient has a record, and no patient was created by the import.
    assert Patient.objects.count() == 12
    with_records = Patient.objects.filter(clinical_resources__isnull=False).distinct().count()
    assert with_records == 12
    call_command("demo", stdout=io.StringIO())
    assert _counts_by_type() == first
    # Each run replaces the demo records, so no stale versions pile up.
    assert ResourceVersion.objects.filter(resource__patient__isnull=False).count() == sum(
        first.values()
    )


EVERY_TYPE = [
    "Patient",
    "Encounter",
    "Observation",
    "DiagnosticReport",
    "Condition",
    "MedicationRequest",
    "AllergyIntolerance",
    "Immunization",
    "Procedure",
    "DocumentReference",
    "ServiceRequest",
    "CareTeam",
    "CarePlan",
    "Goal",
    "Appointment",
    # The billing system's, stored after the record (`carebridge.demo.billing`).
    "Coverage",
    "Claim",
    "ExplanationOfBenefit",
]
