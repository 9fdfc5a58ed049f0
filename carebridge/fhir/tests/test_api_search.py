"""Searching: Bundle searchsets with totals, paging, `_count`, and each search parameter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from carebridge.fhir.tests.api import BASE, api_id, get, patient_token, served
from carebridge.records.models import ClinicalResource
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


def _search(token: str, query: str, **headers: str) -> dict[str, Any]:
    response = get(token, query, **headers)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = json.loads(response.content)
    return body


def _ids(bundle: dict[str, Any]) -> list[str]:
    return [
        entry["resource"]["id"]
        for entry in bundle.get("entry", [])
        if entry["search"]["mode"] == "match"
    ]


def _newest_first(rows: list[ClinicalResource]) -> list[str]:
    ordered = sorted(rows, key=lambda row: (row.effective_at, row.pk), reverse=True)
    return [api_id(row) for row in ordered]


@pytest.fixture
def token(cast_with_records: Cast) -> str:
    return patient_token(cast_with_records.patient_user, cast_with_records.patient)


def test_observations_of_the_patient_come_newest_first_in_a_searchset(
    cast_with_records: Cast, token: str
) -> None:
    cast = cast_with_records
    record = cast.record
    assert record is not None
    bundle = _search(token, f"Observation?patient={cast.patient.pk}")
    rows = [record.hba1c, record.hemoglobin, record.old_hba1c, record.blood_pressure, record.weight]
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "searchset"
    assert bundle["total"] == 5
    assert bundle["link"] == [
        {"relation": "self", "url": f"{BASE}/Observation?patient={cast.patient.pk}&_count=50"}
    ]
    assert _ids(bundle) == _newest_first(rows)
    first = bundle["entry"][0]
    row = next(row for row in rows if api_id(row) == first["resource"]["id"])
    assert first == {
        "fullUrl": f"{BASE}/Observation/{api_id(row)}",
        "resource": served(row),
        "search": {"mode": "match"},
    }


def test_paging_walks_every_result_once(cast_with_records: Cast, token: str) -> None:
    seen: list[str] = []
    url = "Observation?_count=2"
    pages = 0
    while url:
        bundle = _search(token, url)
        pages += 1
        seen += _ids(bundle)
        following = [link["url"] for link in bundle["link"] if link["relation"] == "next"]
        url = following[0].removeprefix(f"{BASE}/") if following else ""
    assert pages == 3
    assert len(seen) == len(set(seen)) == 5


def _day(row: ClinicalResource) -> str:
    assert row.effective_at is not None
    return row.effective_at.date().isoformat()


def _query(cast: Cast, token: str, query: str) -> list[str]:
    return _ids(_search(token, query))


def test_observation_search_parameters(cast_with_records: Cast, token: str) -> None:
    cast = cast_with_records
    record = cast.record
    assert record is not None
    pat = cast.patient.pk
    labs = _newest_first([record.hba1c, record.hemoglobin, record.old_hba1c])
    vitals = _newest_first([record.blood_pressure, record.weight])
    hba1c = _newest_first([record.hba1c, record.old_hba1c])
    category = "http://terminology.hl7.org/CodeSystem/observation-category"
    assert _query(cast, token, f"Observation?patient={pat}&category=laboratory") == labs
    assert (
        _query(cast, token, f"Observation?patient=Patient/{pat}&category={category}|vital-signs")
        == vitals
    )
    assert _query(cast, token, "Observation?category=laboratory,vital-signs") == _newest_first(
        [record.hba1c, record.hemoglobin, record.old_hba1c, record.blood_pressure, record.weight]
    )
    assert _query(cast, token, "Observation?code=http://loinc.org|4548-4") == hba1c
    assert _query(cast, token, "Observation?code=4548-4") == hba1c
    assert _query(cast, token, "Observation?code=|4548-4") == []
    assert _query(cast, token, "Observation?code=http://snomed.info/sct|4548-4") == []
    recent = _day(record.hba1c)
    assert _query(cast, token, f"Observation?category=laboratory&date={recent}") == _newest_first(
        [record.hba1c, record.hemoglobin]
    )
    assert _query(cast, token, f"Observation?category=laboratory&date=lt{recent}") == [
        api_id(record.old_hba1c)
    ]
    assert _query(cast, token, f"Observation?category=laboratory&date=ge{recent}") == _newest_first(
        [record.hba1c, record.hemoglobin]
    )
    old_year = _day(record.old_hba1c)[:4]
    assert _query(cast, token, f"Observation?date={old_year}") == [api_id(record.old_hba1c)]
    assert _query(cast, token, f"Observation?date=gt{old_year}&date=le{recent}") == _newest_first(
        [record.hba1c, record.hemoglobin, record.blood_pressure, record.weight]
    )
    assert _query(cast, token, f"Observation?_id={api_id(record.weight)}") == [
        api_id(record.weight)
    ]
    assert _query(cast, token, "Observation?_lastUpdated=ge2000-01") == _newest_first(
        [record.hba1c, record.hemoglobin, record.old_hba1c, record.blood_pressure, record.weight]
    )
    assert _query(cast, token, "Observation?_lastUpdated=lt2000") == []


def test_other_types_search_parameters(cast_with_records: Cast, token: str) -> None:
    cast = cast_with_records
    record = cast.record
    assert record is not None
    pat = cast.patient.pk
    conditions = _newest_first([record.condition, record.resolved_condition])
    assert _query(cast, token, f"Condition?patient={pat}") == conditions
    assert _query(cast, token, f"Condition?patient={pat}&category=problem-list-item") == conditions
    assert _query(cast, token, f"Condition?patient={pat}&clinical-status=active") == [
        api_id(record.condition)
    ]
    assert _query(cast, token, f"AllergyIntolerance?patient={pat}") == [api_id(record.allergy)]
    medicines = _newest_first([record.medication, record.past_medication])
    assert _query(cast, token, f"MedicationRequest?patient={pat}&intent=order") == medicines
    assert _query(cast, token, "MedicationRequest?intent=plan") == []
    assert _query(cast, token, "MedicationRequest?intent=order&status=active") == [
        api_id(record.medication)
    ]
    assert _query(cast, token, f"Immunization?patient={pat}") == [api_id(record.immunization)]
    procedure_year = _day(record.procedure)[:4]
    assert _query(cast, token, f"Procedure?patient={pat}&date={procedure_year}") == [
        api_id(record.procedure)
    ]
    assert _query(cast, token, f"Procedure?date=lt{procedure_year}") == []
    visit = api_id(record.encounter)
    assert _query(cast, token, f"Encounter?_id={visit}") == [visit]
    assert _query(cast, token, f"Encounter?patient={pat}&date={_day(record.encounter)}") == [visit]
    report = [api_id(record.report)]
    v2 = "http://terminology.hl7.org/CodeSystem/v2-0074"
    assert _query(cast, token, f"DiagnosticReport?patient={pat}&category={v2}|LAB") == report
    assert _query(cast, token, "DiagnosticReport?category=LAB&code=http://loinc.org|24323-8") == (
        report
    )
    assert (
        _query(cast, token, f"DiagnosticReport?category=LAB&date={_day(record.report)}") == report
    )
    note = [api_id(record.note)]
    assert _query(cast, token, f"DocumentReference?patient={pat}&category=clinical-note") == note
    assert _query(cast, token, "DocumentReference?type=http://loinc.org|11506-3") == note
    assert _query(cast, token, f"DocumentReference?_id={note[0]}") == note


def test_patient_search_parameters(cast_with_records: Cast, token: str) -> None:
    cast = cast_with_records
    pat = cast.patient
    me = [str(pat.pk)]
    born = pat.birth_date.isoformat()
    assert _query(cast, token, f"Patient?_id={pat.pk}") == me
    assert _query(cast, token, f"Patient?identifier=urn:carebridge:riverside:mrn|{pat.mrn}") == me
    assert _query(cast, token, f"Patient?identifier={pat.mrn}") == me
    assert _query(cast, token, "Patient?identifier=urn:other|RFC-1001") == []
    assert _query(cast, token, "Patient?name=pat") == me
    assert _query(cast, token, "Patient?name=PATIENT") == me
    assert _query(cast, token, "Patient?name=sam") == []
    assert _query(cast, token, f"Patient?birthdate={born}&name=pat") == me
    assert _query(cast, token, f"Patient?birthdate=gt{born}&name=pat") == []
    assert _query(cast, token, f"Patient?gender={pat.sex}&name=pat") == me
    assert _query(cast, token, "Patient?gender=other&name=pat") == []
    bundle = _search(token, "Patient?name=pat")
    assert bundle["entry"][0]["fullUrl"] == f"{BASE}/Patient/{pat.pk}"


def test_another_patients_id_finds_nothing_and_audits_nothing(
    cast_with_records: Cast, token: str
) -> None:
    from carebridge.audit.models import AuditEvent

    cast = cast_with_records
    before = AuditEvent.objects.count()
    for query in (
        f"Observation?patient={cast.second_patient.pk}",
        f"Observation?patient=Patient/{cast.second_patient.pk}&category=laboratory",
        f"Patient?_id={cast.second_patient.pk}",
    ):
        bundle = _search(token, query)
        assert (bundle["total"], bundle.get("entry")) == (0, None)
    # The Patient search is of the token's own patient: it found no match, which is audited.
    assert AuditEvent.objects.count() == before + 1


def test_count_limits_the_page_and_zero_gives_the_total_only(
    cast_with_records: Cast, token: str
) -> None:
    assert len(_query(cast_with_records, token, "Observation?_count=3")) == 3
    bundle = _search(token, "Observation?_count=0")
    assert (bundle["total"], bundle.get("entry")) == (5, None)
    assert bundle["link"] == [{"relation": "self", "url": f"{BASE}/Observation?_count=0"}]
    capped = _search(token, "Observation?_count=5000")
    assert capped["link"][0]["url"] == f"{BASE}/Observation?_count=200"
