"""Imports in the console when things fail: a full disk while uploading (the form again, nothing
kept), and a retry of an import stopped by a passing fault (POST, audited, no new upload).
Ada the clinic admin imports; the front desk may not; another clinic's admin sees a 404."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from carebridge.audit.models import AuditEvent
from carebridge.records.importing import pipeline
from carebridge.records.importing.jobs import run_job
from carebridge.records.models import ClinicalResource, ImportJob, ImportStatus, ResourceVersion
from carebridge.records.tests.importing_files import (
    bundle,
    entry,
    lose_the_database_at_group,
    observation,
    patient,
)
from carebridge.testing.clients import client_for
from carebridge.testing.disk import IMPORT_REFUSAL, disk_full_after
from carebridge.worker.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Path) -> Path:
    settings.CAREBRIDGE_IMPORT_DIR = tmp_path / "imports"
    return settings.CAREBRIDGE_IMPORT_DIR


def upload(name: str, given: str) -> SimpleUploadedFile:
    document = bundle(
        entry(patient(f"p-{given}", given=given)),
        entry(observation(f"o-{given}", f"urn:uuid:p-{given}")),
    )
    return SimpleUploadedFile(name, json.dumps(document).encode(), "application/json")


def test_a_full_disk_while_uploading_keeps_nothing_and_says_so(cast, import_dir):
    files = [upload("ada.json", "Ada"), upload("bea.json", "Bea")]
    with disk_full_after(files=1) as created:
        response = client_for(cast.clinic_admin).post(
            reverse("staff:import-upload"), {"exports": files}
        )
    assert response.status_code == 200
    assert IMPORT_REFUSAL in response.content.decode()
    assert response.context["form"].non_field_errors() == [IMPORT_REFUSAL]
    assert len(created) == 2
    assert (ImportJob.objects.count(), AuditEvent.objects.count()) == (0, 0)
    assert list(import_dir.iterdir()) == []


def stopped_job(cast: Any, monkeypatch: pytest.MonkeyPatch, django_capture: Any) -> ImportJob:
    """Upload two files; the database goes away while the second is stored."""
    real = lose_the_database_at_group(monkeypatch, 2)
    with django_capture(execute=True):
        client_for(cast.clinic_admin).post(
            reverse("staff:import-upload"),
            {"exports": [upload("ada.json", "Ada"), upload("bea.json", "Bea")]},
        )
    monkeypatch.setattr(pipeline, "store_group", real)
    return ImportJob.objects.get()


def test_a_stopped_import_shows_a_retry_button_and_is_finished_by_it(
    cast, monkeypatch, django_capture_on_commit_callbacks, import_dir
):
    job = stopped_job(cast, monkeypatch, django_capture_on_commit_callbacks)
    assert (job.status, job.units_done, job.summary["created"]) == (ImportStatus.STOPPED, 1, 2)
    client = client_for(cast.clinic_admin)
    page = client.get(reverse("staff:import-detail", args=[job.pk])).content.decode()
    retry = reverse("staff:import-retry", args=[job.pk])
    assert f'<form method="post" action="{retry}" class="import-retry">' in page
    assert "Stopped — can be retried" in page
    assert "1 of 2 files are left: bea.json." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    job.refresh_from_db()
    assert response.status_code == 302
    assert (job.status, job.units_done, job.units_total) == (ImportStatus.DONE, 2, 2)
    assert (job.summary["created"], job.summary["patients"], job.summary["errors"]) == (4, 2, [])
    ids = list(ClinicalResource.objects.values_list("resource_type", "fhir_id"))
    assert len(ids) == len(set(ids)) == ResourceVersion.objects.count() == 4
    event = AuditEvent.objects.get(object_type="import_job_retry")
    assert (event.action, event.actor, event.object_id) == (
        "import",
        cast.clinic_admin,
        str(job.pk),
    )
    assert list(import_dir.iterdir()) == []
    page = client.get(reverse("staff:import-detail", args=[job.pk])).content.decode()
    assert "import-retry" not in page


def test_only_a_stopped_import_can_be_retried(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    job = stopped_job(cast, monkeypatch, django_capture_on_commit_callbacks)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    response = client_for(cast.clinic_admin).post(reverse("staff:import-retry", args=[job.pk]))
    job.refresh_from_db()
    assert (response.status_code, job.status) == (302, ImportStatus.RUNNING)
    assert not AuditEvent.objects.filter(object_type="import_job_retry").exists()


def test_others_cannot_retry(cast, monkeypatch, django_capture_on_commit_callbacks):
    job = stopped_job(cast, monkeypatch, django_capture_on_commit_callbacks)
    url = reverse("staff:import-retry", args=[job.pk])
    assert client_for(cast.front_desk).post(url).status_code == 404
    assert client_for(cast.other_clinic_admin).post(url).status_code == 404
    assert client_for(cast.clinic_admin).get(url).status_code == 405
    job.refresh_from_db()
    assert job.status == ImportStatus.STOPPED
    assert not AuditEvent.objects.filter(object_type="import_job_retry").exists()
    run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == ImportStatus.STOPPED


def test_a_job_left_running_by_a_lost_worker_can_be_retried(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    job = stopped_job(cast, monkeypatch, django_capture_on_commit_callbacks)
    long_ago = timezone.now() - datetime.timedelta(seconds=600)
    WorkerHeartbeat.objects.create(worker_id="alive", host="h", pid=1)
    WorkerHeartbeat.objects.create(worker_id="lost", host="h", pid=2, last_seen=long_ago)
    client = client_for(cast.clinic_admin)
    page = reverse("staff:import-detail", args=[job.pk])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, claimed_by="alive")
    assert "import-retry" not in client.get(page).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(claimed_by="lost")
    assert "import-retry" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("staff:import-retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.units_done, job.summary["created"]) == (ImportStatus.DONE, 2, 4)
