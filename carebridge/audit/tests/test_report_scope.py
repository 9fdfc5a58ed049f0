"""The clinic's audit report shows only the clinic's own patients, even when its staff probe
another clinic's patient: such a probe reads exactly like a probe of an id that does not exist."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditAction, AuditOutcome
from carebridge.audit.services import record_event
from carebridge.patients.models import Patient
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

URL = reverse("staff:audit-report")
CSV_URL = reverse("staff:audit-report-csv")


def _probe(cast: Cast, patient: Patient | None, object_id: str) -> None:
    """Our clinician asks for a result that is not hers to see (or does not exist)."""
    record_event(
        actor=cast.clinician,
        action=AuditAction.VIEW,
        object_type="result",
        object_id=object_id,
        patient=patient,
        acting_as="staff",
        outcome=AuditOutcome.DENIED,
    )


@pytest.fixture
def theirs(cast: Cast) -> Patient:
    return factories.make_patient(
        cast.other_clinic, mrn="HH-7001", given_name="Hedda", family_name="Hiddenhill"
    )


def _csv_rows(client: Client) -> list[list[str]]:
    response = client.get(CSV_URL)
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body)))[1:]


def test_a_probe_of_another_clinics_patient_shows_neither_the_patient_nor_the_mrn(
    cast: Cast, theirs: Patient
) -> None:
    _probe(cast, theirs, "probe-1")
    client = client_for(cast.clinic_admin)
    page = client.get(URL).content.decode()
    rows = [row for row in _csv_rows(client) if row[7] == "probe-1"]
    assert "HH-7001" not in page
    assert "Hiddenhill" not in page
    assert [row[4] for row in rows] == [""]


def test_such_a_probe_reads_exactly_like_a_probe_of_an_unknown_id(
    cast: Cast, theirs: Patient
) -> None:
    _probe(cast, theirs, "same-id")
    _probe(cast, None, "same-id")
    rows = [row for row in _csv_rows(client_for(cast.clinic_admin)) if row[7] == "same-id"]
    # Everything but the time and the sequence number is the same.
    assert len(rows) == 2
    assert rows[0][2:] == rows[1][2:]


def test_the_mrn_filter_cannot_reach_another_clinics_patient(cast: Cast, theirs: Patient) -> None:
    _probe(cast, theirs, "probe-2")
    client = client_for(cast.clinic_admin)
    assert client.post(URL, {"patient_mrn": "HH-7001"})["Location"] == URL
    page = client.get(URL).content.decode()
    assert "probe-2" not in page
    assert "No events match these filters." in page
    # Only as the administrator typed it, in the filter box (never in an address).
    assert page.count("HH-7001") == 1


def test_our_own_patients_mrn_is_still_shown(cast: Cast) -> None:
    _probe(cast, cast.patient, "own-1")
    rows = [row for row in _csv_rows(client_for(cast.clinic_admin)) if row[7] == "own-1"]
    assert [row[4] for row in rows] == [cast.patient.mrn]
