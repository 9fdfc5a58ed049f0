"""`carebridge import-fhir` and the background task: same pipeline, summary, exit status, jobs."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, OutputWrapper

from carebridge.records.management.commands.import_fhir import ProgressBar
from carebridge.records.models import ClinicalResource, ImportJob, ResourceVersion
from carebridge.records.tasks import run_import
from carebridge.records.tests.importing_files import bundle, entry, observation, patient, write_json
from carebridge.testing import factories

pytestmark = pytest.mark.django_db


def command(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_fhir", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return out.getvalue(), err.getvalue(), int(exit_.code or 0)
    return out.getvalue(), err.getvalue(), 0


@pytest.fixture
def files(tmp_path):
    write_json(
        tmp_path,
        "ada.json.gz",
        bundle(entry(patient("p1")), entry(observation("o1", "urn:uuid:p1"))),
    )
    (tmp_path / "broken.json").write_text("{")
    (tmp_path / "README.md").write_text("not imported: not an export file")
    return tmp_path


def test_json_output_is_the_exact_summary_and_errors_exit_1(cast, files):
    out, err, status = command(str(files), "--clinic", "riverside", "--json")
    assert json.loads(out) == {
        "patients": 1,
        "resources": {"Observation": 1, "Patient": 1},
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "waiting_for_review": 0,
        "errors": [{"source": "broken.json", "position": "file", "message": "Not valid JSON."}],
        "warnings": [],
    }
    # stderr is not a terminal here, so no progress bar.
    assert (err, status) == ("", 1)
    job = ImportJob.objects.get()
    assert (job.clinic, job.status, job.source, job.units_done, job.units_total) == (
        cast.clinic,
        "failed",
        "ada.json.gz, broken.json",
        2,
        2,
    )
    assert job.summary == json.loads(out)
    assert set(ResourceVersion.objects.values_list("import_job", flat=True)) == {job.pk}


def test_readable_output_and_exit_0_without_errors(cast, files):
    (files / "broken.json").unlink()
    out, _err, status = command(
        str(files / "ada.json.gz"), "--clinic", "riverside", "--no-progress"
    )
    assert out.splitlines() == [
        "1 patient, 2 resources read.",
        "  Observation        1",
        "  Patient            1",
        "Created 2, updated 0, unchanged 0, skipped 0.",
        "No errors.",
    ]
    assert status == 0
    assert ImportJob.objects.get().status == "done"


def test_a_patient_held_for_review_is_counted_and_exits_1(cast, tmp_path):
    # Pat's MRN in the clinic's own system with another birth date: held, not merged.
    mrn = {"system": "urn:carebridge:riverside:mrn", "value": "RFC-1001"}
    someone = patient(
        "x1", given="Pat", family="Patient", birth_date="1990-01-01", identifiers=[mrn]
    )
    write_json(tmp_path, "x.json", bundle(entry(someone)))
    out, _err, status = command(str(tmp_path / "x.json"), "--clinic", "riverside", "--no-progress")
    assert out.splitlines()[2:5] == [
        "Created 0, updated 0, unchanged 0, skipped 1.",
        "1 patient waiting for review.",
        "1 error:",
    ]
    assert status == 1


def test_the_clinic_must_be_clear(cast, files):
    with pytest.raises(CommandError, match="more than one clinic: choose one with --clinic"):
        command(str(files))
    with pytest.raises(CommandError, match="No clinic has the short name “nowhere”"):
        command(str(files), "--clinic", "nowhere")
    with pytest.raises(CommandError, match="No such file or folder: /no/such/place"):
        command("/no/such/place", "--clinic", "riverside")
    assert ImportJob.objects.count() == 0


def test_the_only_clinic_is_the_default(db, files):
    clinic = factories.make_clinic(slug="solo")
    _out, _err, status = command(str(files / "ada.json.gz"))
    assert (status, ClinicalResource.objects.filter(clinic=clinic).count()) == (0, 2)


def test_the_progress_bar_redraws_one_line():
    stream = io.StringIO()
    bar = ProgressBar(OutputWrapper(stream))
    bar(1, 4)
    bar(4, 4)
    assert stream.getvalue() == (
        "\r[#######-----------------------] 1 of 4 files"
        "\r[##############################] 4 of 4 files\n"
    )


def queued_job(cast, tmp_path) -> ImportJob:
    folder = tmp_path / "upload"
    folder.mkdir()
    write_json(
        folder, "ada.json", bundle(entry(patient("p1")), entry(observation("o1", "urn:uuid:p1")))
    )
    return ImportJob.objects.create(
        clinic=cast.clinic, started_by=cast.clinic_admin, upload_path=str(folder), units_total=1
    )


def test_the_task_runs_a_queued_job_once_and_removes_the_upload(cast, tmp_path):
    job = queued_job(cast, tmp_path)
    run_import.enqueue(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.units_done, job.units_total, job.summary["created"]) == (
        "done",
        1,
        1,
        2,
    )
    assert job.finished_at is not None
    assert not (tmp_path / "upload").exists()
    # A second run (a retried task) finds the job finished and does nothing.
    run_import.enqueue(str(job.pk))
    assert ResourceVersion.objects.count() == 2
    job.refresh_from_db()
    assert job.summary["created"] == 2


def test_a_job_whose_files_are_gone_fails_with_a_reason(cast, tmp_path):
    job = queued_job(cast, tmp_path)
    job.upload_path = str(tmp_path / "gone")
    job.save()
    run_import.enqueue(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.summary["errors"]) == (
        "failed",
        [{"source": "", "position": "file", "message": "The uploaded files are gone."}],
    )


def test_an_unexpected_failure_marks_the_job_failed(cast, tmp_path, monkeypatch):
    job = queued_job(cast, tmp_path)

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("carebridge.records.importing.jobs.import_files", explode)
    run_import.enqueue(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.summary["errors"][0]["message"]) == (
        "failed",
        "The import stopped on an unexpected problem. Groups already imported are kept.",
    )
