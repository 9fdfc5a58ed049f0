"""Reading one resource: the stored resource re-keyed, or a 404 OperationOutcome alike for a
missing one, another patient's, and one this caller may not see."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from carebridge.audit.models import AuditEvent
from carebridge.fhir.api.types import SERVED
from carebridge.fhir.tests.api import BASE, api_id, get, patient_token, served
from carebridge.records.exports.bundle_links import entry_uuid
from carebridge.records.exports.fhir_bundle import bundle_chunks
from carebridge.records.exports.selection import Selection
from carebridge.records.scope import RecordScope
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

NOT_FOUND = "There is no Observation with this id."


def _outcome(message: str, code: str) -> dict[str, object]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": message}],
    }


def test_a_read_returns_the_stored_resource_with_ids_and_references_rekeyed(
    cast_with_records: Cast,
) -> None:
    cast = cast_with_records
    assert cast.record is not None
    row = cast.record.hba1c
    token = patient_token(cast.patient_user, cast.patient)
    response = get(token, f"Observation/{api_id(row)}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    body = json.loads(response.content)
    expected = json.loads(json.dumps(row.resource))
    expected["id"] = api_id(row)
    expected["subject"]["reference"] = f"Patient/{cast.patient.pk}"
    chen = entry_uuid(cast.clinic.pk, ("Practitioner", "dr-chen"))
    expected["performer"][0]["reference"] = f"Practitioner/{chen}"
    assert body == expected == served(row)


def test_references_to_other_resources_use_their_api_ids(cast_with_records: Cast) -> None:
    cast = cast_with_records
    assert cast.record is not None
    report = cast.record.report
    token = patient_token(cast.patient_user, cast.patient)
    body = json.loads(get(token, f"DiagnosticReport/{api_id(report)}").content)
    assert [item["reference"] for item in body["result"]] == [
        f"Observation/{api_id(cast.record.hba1c)}",
        f"Observation/{api_id(cast.record.hemoglobin)}",
    ]


def test_the_patient_is_read_by_the_patients_own_id(cast_with_records: Cast) -> None:
    cast = cast_with_records
    token = patient_token(cast.patient_user, cast.patient)
    body = json.loads(get(token, f"Patient/{cast.patient.pk}").content)
    assert (body["resourceType"], body["id"]) == ("Patient", str(cast.patient.pk))
    assert body["name"] == [
        {"use": "official", "family": cast.patient.family_name, "given": [cast.patient.given_name]}
    ]


def test_missing_other_patients_and_malformed_ids_are_the_same_404(
    cast_with_records: Cast,
) -> None:
    cast = cast_with_records
    assert cast.second_record is not None
    token = patient_token(cast.patient_user, cast.patient)
    before = AuditEvent.objects.count()
    missing = entry_uuid(cast.clinic.pk, ("Observation", "nothing-here"))
    for resource_id in (api_id(cast.second_record.hba1c), missing, "not-a-uuid"):
        response = get(token, f"Observation/{resource_id}")
        assert response.status_code == 404
        assert json.loads(response.content) == _outcome(NOT_FOUND, "not-found")
    other = get(token, f"Patient/{cast.second_patient.pk}")
    assert other.status_code == 404
    assert AuditEvent.objects.count() == before


def test_a_read_is_audited_once_as_the_app(cast_with_records: Cast) -> None:
    cast = cast_with_records
    assert cast.record is not None
    token = patient_token(cast.patient_user, cast.patient)
    before = AuditEvent.objects.count()
    get(token, f"Observation/{api_id(cast.record.hba1c)}")
    events = list(AuditEvent.objects.order_by("-sequence")[: AuditEvent.objects.count() - before])
    assert len(events) == 1
    link = cast.patient_user.app_connections.get()
    assert (
        events[0].actor,
        events[0].patient,
        events[0].action,
        events[0].acting_as,
        events[0].object_type,
        events[0].object_id,
        events[0].outcome,
    ) == (cast.patient_user, cast.patient, "view", "app", "api_read", str(link.pk), "success")
    assert BASE == "http://127.0.0.1:8000/fhir"


def test_each_resource_read_is_the_downloads_entry_byte_for_byte(cast_with_records: Cast) -> None:
    cast = cast_with_records
    token = patient_token(cast.patient_user, cast.patient)
    download = json.loads(
        "".join(bundle_chunks(RecordScope.whole(cast.patient), Selection(), timezone.now()))
    )
    entries = [entry for entry in download["entry"] if entry["resource"]["resourceType"] in SERVED]
    # Every entry: the care team, care plan and goal too (`fhir.api.us_core_types`).
    assert (len(download["entry"]), len(entries)) == (19, 19)
    for entry in entries:
        path = entry["fullUrl"].removeprefix(f"{BASE}/")
        response = get(token, path)
        assert response.status_code == 200, path
        assert json.loads(response.content) == entry["resource"]
