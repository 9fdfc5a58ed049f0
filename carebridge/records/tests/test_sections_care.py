"""The care team, goals and care plans: exact values from Pat's sample record, the fallback to
the clinicians from visits, empty states, audit events and query budgets."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.records.models import ClinicalResource
from carebridge.records.services import store_resources
from carebridge.records.tests.page_checks import (
    BUDGET,
    EMPTY_RECORD_NOTE,
    day,
    get,
    last_event,
    page_text,
    queries_for,
)
from carebridge.testing.records import encounter, in_visit, next_id, store, subject

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


# Builders.


def seen_by(patient: Any, clinician: str, start: str) -> dict[str, Any]:
    """A visit where `clinician` saw the patient."""
    participant = [{"individual": {"reference": "Practitioner/x", "display": clinician}}]
    return encounter(patient, start, participant=participant)


def goal(patient: Any, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "resourceType": "Goal",
        "id": next_id("goal"),
        "lifecycleStatus": "active",
        "description": {"text": text},
        "subject": subject(patient),
        "startDate": "2025-01-10",
    } | extra


def care_plan(patient: Any, title: str, status: str = "completed") -> dict[str, Any]:
    return {
        "resourceType": "CarePlan",
        "id": next_id("plan"),
        "status": status,
        "intent": "plan",
        "title": title,
        "subject": subject(patient),
        "period": {"start": "2020-03-01", "end": "2020-09-01"},
        "activity": [{"detail": {"status": "completed", "description": "Physiotherapy"}}],
    }


def care_team(patient: Any, members: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "CareTeam",
        "id": next_id("team"),
        "status": "inactive",
        "name": "Surgery team",
        "subject": subject(patient),
        "participant": members,
    }


# Care team.


def test_care_team_members_and_roles(cast_with_records, patient_client):
    text = page_text(get(patient_client, "care-team"))
    assert (
        "Primary care team Status Active Members of Primary care team Name Role "
        "Maya Chen, MD Primary care physician"
    ) in text


def test_care_team_names_members_known_only_by_reference(cast, patient_client):
    practitioner = {
        "resourceType": "Practitioner",
        "id": "dr-ortiz",
        "name": [{"prefix": ["Dr"], "given": ["Luis"], "family": "Ortiz", "suffix": ["MD"]}],
    }
    store_resources(clinic=cast.clinic, patient=None, resources=[practitioner], source="test")
    members = [
        {"member": {"reference": "Practitioner/dr-ortiz"}, "role": [{"text": "Surgeon"}]},
        {"member": {"reference": f"Patient/{cast.patient.pk}"}},
    ]
    store(cast.patient, care_team(cast.patient, members))
    text = page_text(get(patient_client, "care-team"))
    assert "Surgery team Status No longer active" in text
    assert "Dr Luis Ortiz, MD Surgeon You Not recorded" in text


def test_care_team_falls_back_to_clinicians_from_visits(cast, patient_client):
    store(
        cast.patient,
        seen_by(cast.patient, "Maya Chen, MD", "2025-03-01T15:00:00Z"),
        seen_by(cast.patient, "Ravi Shah, DO", "2025-05-01T15:00:00Z"),
        seen_by(cast.patient, "Maya Chen, MD", "2025-06-01T15:00:00Z"),
    )
    text = page_text(get(patient_client, "care-team"))
    assert (
        "No care team is recorded here. These are the clinicians who saw you at your visits, "
        "the most recent first: Clinicians who saw you at your visits Name Last visit with them "
        f"Maya Chen, MD {day(datetime.date(2025, 6, 1))} "
        f"Ravi Shah, DO {day(datetime.date(2025, 5, 1))}"
    ) in text


def test_care_team_empty_state(cast, patient_client):
    text = page_text(get(patient_client, "care-team"))
    assert f"No care team is recorded here. {EMPTY_RECORD_NOTE}" in text


# Goals and care plans.


def test_goals_and_care_plans_exact_values(cast_with_records, patient_client):
    target = {
        "measure": {"text": "Weight"},
        "detailQuantity": {"value": 80, "unit": "kg", "comparator": "<"},
        "dueDate": "2026-01-31",
    }
    store(
        cast_with_records.patient, goal(cast_with_records.patient, "Lose weight", target=[target])
    )
    store(cast_with_records.patient, care_plan(cast_with_records.patient, "Knee recovery"))
    text = page_text(get(patient_client, "care-plans"))
    started = day(TODAY - datetime.timedelta(days=30))
    assert f"Blood pressure below 130/80 Status Working on it Started {started}" in text
    assert (
        "Lose weight Status Working on it Target Weight: below 80 kg "
        f"Target date {day(datetime.date(2026, 1, 31))} Started {day(datetime.date(2025, 1, 10))}"
    ) in text
    plans = text.split("Care plans", 1)[1]
    # The active plan comes before the completed one.
    assert (
        f"Hypertension clinical management plan Status Active From {started} "
        "What the plan includes Walk 30 minutes a day (in progress) "
        "Knee recovery Status Completed "
        f"From {day(datetime.date(2020, 3, 1))} Until {day(datetime.date(2020, 9, 1))} "
        "What the plan includes Physiotherapy (done)"
    ) in plans


def test_goals_and_care_plans_empty_states(cast, patient_client):
    text = page_text(get(patient_client, "care-plans"))
    assert f"No goals are recorded here. {EMPTY_RECORD_NOTE}" in text
    assert f"No care plans are recorded here. {EMPTY_RECORD_NOTE}" in text


# Audit.


@pytest.mark.parametrize(
    ("name", "object_type"), [("care-team", "care_team"), ("care-plans", "care_plans")]
)
def test_each_page_view_is_audited(cast_with_records, patient_client, name, object_type):
    get(patient_client, name)
    event = last_event()
    assert (event.action, event.object_type, event.outcome, event.patient_id) == (
        "view",
        object_type,
        "success",
        cast_with_records.patient.pk,
    )


@pytest.mark.parametrize("name", ["care-team", "care-plans"])
def test_staff_get_404_and_nothing_is_audited(cast_with_records, admin_client_mfa, name):
    before = AuditEvent.objects.count()
    assert get(admin_client_mfa, name).status_code == 404
    assert AuditEvent.objects.count() == before


# Query budgets: the same number of queries for a few resources of the kind as for 300.


def _measure(client: Any, name: str, assert_max: Any) -> int:
    return queries_for(client, reverse(f"records:{name}"), assert_max)


def test_care_team_from_visits_costs_the_same_for_5_or_300_visits(
    cast, patient_client, django_assert_max_num_queries
):
    visits = [seen_by(cast.patient, f"Doctor {n}", "2020-01-01T10:00:00Z") for n in range(300)]
    store(cast.patient, *visits[:5])
    # The session's first request records the sign-in session; measure from the second.
    get(patient_client, "care-team")
    small = _measure(patient_client, "care-team", django_assert_max_num_queries)
    store(cast.patient, *visits[5:])
    assert _measure(patient_client, "care-team", django_assert_max_num_queries) == small


def test_care_plans_cost_the_same_for_5_or_300(cast, patient_client, django_assert_max_num_queries):
    made = [
        goal(cast.patient, f"Goal {n}") if n % 2 else care_plan(cast.patient, f"Plan {n}")
        for n in range(300)
    ]
    store(cast.patient, *made[:5])
    get(patient_client, "care-plans")
    small = _measure(patient_client, "care-plans", django_assert_max_num_queries)
    store(cast.patient, *made[5:])
    assert _measure(patient_client, "care-plans", django_assert_max_num_queries) == small


def test_care_team_query_count_does_not_grow_with_teams(
    cast, patient_client, django_assert_max_num_queries
):
    member = [{"member": {"reference": "Practitioner/nobody"}}]
    store(cast.patient, *(care_team(cast.patient, member) for _n in range(3)))
    get(patient_client, "care-team")
    with django_assert_max_num_queries(BUDGET) as small:
        get(patient_client, "care-team")
    store(cast.patient, *(care_team(cast.patient, member) for _n in range(300)))
    # The change renewed what is kept for Pat: measure the request after the first, as before.
    get(patient_client, "care-team")
    with django_assert_max_num_queries(BUDGET) as large:
        text = page_text(get(patient_client, "care-team"))
    assert len(small) == len(large)
    assert text.count("Surgery team Status") == 10
    assert "Only your most recent care teams are shown here." in text


# Sparse resources: the pages still render, and say what is not recorded.


def test_sparse_resources_render_with_what_is_not_recorded(cast, patient_client):
    patient = cast.patient
    visit_id = next_id("enc")
    here = in_visit(visit_id)
    store(
        patient,
        {
            "resourceType": "Encounter",
            "id": visit_id,
            "status": "finished",
            "subject": subject(patient),
            "diagnosis": [{"condition": {"reference": "Condition/absent"}}, {"condition": {}}],
            "participant": [{}],
            "period": {},
        },
        {
            "resourceType": "CarePlan",
            "id": next_id("plan"),
            "status": "active",
            "subject": subject(patient),
            "activity": [{}, {"detail": {}}, {"reference": {"display": "See leaflet"}}],
        }
        | here,
        {"resourceType": "CareTeam", "id": next_id("team"), "participant": [{}]},
        goal(patient, "Steady sugar", target=[{"detailRange": {"low": {"value": 5}}}]),
    )
    pages = {
        name: page_text(get(patient_client, name)) for name in ("care-team", "care-plans", "visits")
    }
    assert "Care team Status Not recorded" in pages["care-team"]
    assert "Name not recorded Not recorded" in pages["care-team"]
    assert "Steady sugar Status Working on it Target at least 5" in pages["care-plans"]
    assert "Not recorded Visit Not recorded Not recorded Not recorded" in pages["visits"]
    visit = ClinicalResource.objects.get(fhir_id=visit_id)
    text = page_text(patient_client.get(reverse("records:visit-detail", args=[visit.pk])))
    assert "No diagnoses are recorded for this visit." in text
    assert "Instructions Care plan See leaflet Clinical notes" in text
