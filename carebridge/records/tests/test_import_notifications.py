"""New results reaching an enrolled patient through an import: one e-mail per patient."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from carebridge.records.identifiers import mrn_system
from carebridge.records.importing.pipeline import import_files
from carebridge.records.importing.readers import find_files
from carebridge.records.tests.importing_files import observation, patient, write_ndjson

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime.now(datetime.UTC).isoformat()


def _bulk_export_for_pat(cast, folder, *, effective: str = TODAY):
    pat = patient(
        "x1",
        given="Pat",
        family="Patient",
        birth_date="1956-03-14",
        identifiers=[{"system": mrn_system(cast.clinic), "value": "RFC-1001"}],
    )
    write_ndjson(folder, "Patient.ndjson", [pat])
    for number in (1, 2):
        write_ndjson(
            folder,
            f"Observation-{number}.ndjson",
            [observation(f"o{number}", "Patient/x1", effectiveDateTime=effective)],
        )
    return find_files([folder])


def test_new_results_in_several_files_send_one_email(
    cast, tmp_path, django_capture_on_commit_callbacks
):
    files = _bulk_export_for_pat(cast, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        summary = import_files(clinic=cast.clinic, files=files)
    assert (summary.created, summary.errors) == (3, [])
    assert [message.to for message in mail.outbox] == [["pat@example.org"]]
    assert "Glucose" not in mail.outbox[0].body


def test_history_sends_no_email(cast, tmp_path, django_capture_on_commit_callbacks):
    files = _bulk_export_for_pat(cast, tmp_path, effective="2019-05-01T09:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        import_files(clinic=cast.clinic, files=files)
    assert mail.outbox == []


def test_an_import_may_leave_patients_unnotified(
    cast, tmp_path, django_capture_on_commit_callbacks
):
    files = _bulk_export_for_pat(cast, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        import_files(clinic=cast.clinic, files=files, notify_patients=False)
    assert mail.outbox == []
