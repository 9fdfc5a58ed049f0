"""Migration 0007 gives every resource already stored its FHIR API id."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from carebridge.records.exports.bundle_links import entry_uuid
from carebridge.records.models import ClinicalResource
from carebridge.testing import factories

BEFORE = [("records", "0006_result_comments_and_quick_comments")]
AFTER = [("records", "0007_resource_api_ids")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def old_schema() -> Iterator[MigrationExecutor]:
    executor = _migrate(BEFORE)
    try:
        yield executor
    finally:
        # Every app's latest migration: going back to records 0006 also took back the
        # migrations of other apps that depend on 0007 (scheduling's clinic check-in), whose
        # table the delete below must find.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        ClinicalResource.objects.all().delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_resources_get_the_ids_the_download_gives_them(
    old_schema: MigrationExecutor,
) -> None:
    clinic = factories.make_clinic()
    patient = factories.make_patient(clinic=clinic)
    old = old_schema.loader.project_state(BEFORE).apps.get_model("records", "ClinicalResource")
    for resource_type, fhir_id in (("Observation", "obs-1"), ("Patient", str(patient.pk))):
        old.objects.create(
            clinic_id=clinic.pk,
            patient_id=patient.pk,
            resource_type=resource_type,
            fhir_id=fhir_id,
            content_hash=fhir_id,
            resource={"resourceType": resource_type, "id": fhir_id},
        )
    _migrate(AFTER)
    rows = ClinicalResource.objects.order_by("resource_type")
    assert [(row.fhir_id, row.api_id) for row in rows] == [
        ("obs-1", entry_uuid(clinic.pk, ("Observation", "obs-1"))),
        (str(patient.pk), patient.pk),
    ]
