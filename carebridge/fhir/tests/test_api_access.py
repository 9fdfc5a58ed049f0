"""What an app sees is what the person who connected it may see today, narrowed by its scopes:
caregivers' parts of the record and never sensitive items; held and entered-in-error results
never; a category-limited token only those categories."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.utils import timezone

from carebridge.fhir.tests.api import api_id, get, patient_token
from carebridge.proxies.models import EndReason, GrantStatus, ProxyGrant
from carebridge.records.models import ClinicalResource, Release
from carebridge.testing.personas import Cast
from carebridge.testing.records import hba1c, store
from carebridge.testing.sample_record import build_sample_record

pytestmark = pytest.mark.django_db

SENSITIVE = {
    "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIV"}]
}


def _ids(token: str, query: str) -> set[str]:
    response = get(token, query)
    assert response.status_code == 200, response.content
    bundle: dict[str, Any] = json.loads(response.content)
    return {entry["resource"]["id"] for entry in bundle.get("entry", [])}


def _sensitive_result(cast: Cast) -> ClinicalResource:
    day = datetime.date.today() - datetime.timedelta(days=3)
    return store(cast.patient, hba1c(cast.patient, day, 5.0) | {"meta": SENSITIVE})[0]


def test_the_patient_sees_sensitive_items_a_caregiver_never_does(cast_with_records: Cast) -> None:
    cast = cast_with_records
    sensitive = _sensitive_result(cast)
    own = patient_token(cast.patient_user, cast.patient)
    caregiver = patient_token(cast.proxies.full_caregiver, cast.patient, acting_as="proxy")
    assert api_id(sensitive) in _ids(own, "Observation")
    assert get(own, f"Observation/{api_id(sensitive)}").status_code == 200
    assert api_id(sensitive) not in _ids(caregiver, "Observation")
    assert len(_ids(caregiver, "Observation")) == 5
    assert get(caregiver, f"Observation/{api_id(sensitive)}").status_code == 404


def test_held_and_entered_in_error_results_are_never_returned(cast_with_records: Cast) -> None:
    cast = cast_with_records
    record = cast.record
    assert record is not None
    ClinicalResource.objects.filter(pk=record.hba1c.pk).update(release=Release.HELD)
    ClinicalResource.objects.filter(pk=record.weight.pk).update(status="entered-in-error")
    token = patient_token(cast.patient_user, cast.patient)
    assert _ids(token, "Observation") == {
        api_id(record.hemoglobin),
        api_id(record.old_hba1c),
        api_id(record.blood_pressure),
    }
    for row in (record.hba1c, record.weight):
        assert get(token, f"Observation/{api_id(row)}").status_code == 404


def test_a_teens_parent_sees_only_the_parts_the_teen_rules_allow(cast: Cast) -> None:
    teen = cast.proxies.teen
    record = build_sample_record(teen)
    token = patient_token(cast.proxies.parent_of_teen, teen, acting_as="proxy")
    assert _ids(token, "AllergyIntolerance") == {api_id(record.allergy)}
    assert _ids(token, "Immunization") == {api_id(record.immunization)}
    for resource_type in ("Observation", "Condition", "MedicationRequest", "DocumentReference"):
        assert _ids(token, resource_type) == set()
    assert get(token, f"Observation/{api_id(record.hba1c)}").status_code == 404
    assert get(token, f"Condition/{api_id(record.condition)}").status_code == 404
    assert get(token, f"AllergyIntolerance/{api_id(record.allergy)}").status_code == 200


def test_a_caregiver_whose_access_ended_gets_a_401(cast_with_records: Cast) -> None:
    cast = cast_with_records
    token = patient_token(cast.proxies.full_caregiver, cast.patient, acting_as="proxy")
    assert get(token, f"Patient/{cast.patient.pk}").status_code == 200
    grant = cast.proxies.grants["full_caregiver"]
    ProxyGrant.objects.filter(pk=grant.pk).update(
        status=GrantStatus.REVOKED,
        ended_at=timezone.now(),
        ended_by=cast.patient_user,
        end_reason=EndReason.REVOKED_BY_PATIENT,
    )
    response = get(token, f"Patient/{cast.patient.pk}")
    assert response.status_code == 401
    assert json.loads(response.content)["issue"][0]["diagnostics"] == (
        "The access this app was given has ended."
    )


def test_a_connection_as_self_for_someone_else_gets_a_401(cast_with_records: Cast) -> None:
    cast = cast_with_records
    token = patient_token(cast.second_patient_user, cast.patient)
    assert get(token, "Observation").status_code == 401


def test_a_category_limited_token_sees_only_those_observations(cast_with_records: Cast) -> None:
    cast = cast_with_records
    record = cast.record
    assert record is not None
    token = patient_token(
        cast.patient_user,
        cast.patient,
        scope="launch/patient patient/Observation.rs?category=laboratory",
    )
    labs = {api_id(record.hba1c), api_id(record.hemoglobin), api_id(record.old_hba1c)}
    assert _ids(token, "Observation") == labs
    assert _ids(token, "Observation?category=vital-signs") == set()
    assert get(token, f"Observation/{api_id(record.hba1c)}").status_code == 200
    assert get(token, f"Observation/{api_id(record.weight)}").status_code == 404
    assert get(token, "Condition").status_code == 403


def test_a_v1_scope_for_one_type_reads_and_searches_it(cast_with_records: Cast) -> None:
    cast = cast_with_records
    record = cast.record
    assert record is not None
    token = patient_token(cast.patient_user, cast.patient, scope="patient/Condition.read")
    assert _ids(token, "Condition") == {api_id(record.condition), api_id(record.resolved_condition)}
    assert get(token, "Observation").status_code == 403
