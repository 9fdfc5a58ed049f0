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
