"""Appointments' index columns: when, status, the kind of visit, with whom and where."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carebridge.records.indexing import index_columns
from carebridge.records.models import ClinicalResource
from carebridge.records.services import display_from_reference
from carebridge.records.tests.test_indexing import MALFORMED
from carebridge.testing.records import SNOMED, appointment, coded, store

V2_0276 = "http://terminology.hl7.org/CodeSystem/v2-0276"
DR_OKAFOR = {"reference": "Practitioner/p2", "display": "Daniel Okafor, DO"}
CLINIC = {"reference": "Location/l1", "display": "Riverside Family Clinic, Main Street"}
PATIENT = {"reference": "Patient/123", "display": "Pat Patient"}


def columns_of(**elements: Any) -> dict[str, Any]:
    return index_columns({"resourceType": "Appointment", **elements}, display_from_reference)


def shown(columns: dict[str, Any]) -> dict[str, Any]:
    keys = ("code_system", "code", "code_display", "status", "performer", "detail")
    return {key: columns[key] for key in keys}


def test_a_booked_appointment_fills_its_columns():
    columns = columns_of(
        status="booked",
        serviceType=[coded(SNOMED, "390906007", "Follow-up encounter") | {"text": "Follow-up"}],
        appointmentType=coded(V2_0276, "FOLLOWUP", "A follow up visit"),
        reasonCode=[{"text": "Blood pressure check"}],
        description="Bring your blood pressure diary",
        start="2026-03-09T09:30:00-04:00",
        end="2026-03-09T09:50:00-04:00",
        participant=[
            {"actor": PATIENT, "status": "accepted"},
            {"actor": DR_OKAFOR, "status": "accepted"},
            {"actor": CLINIC, "status": "accepted"},
        ],
    )
    assert shown(columns) == {
        "code_system": SNOMED,
        "code": "390906007",
        "code_display": "Follow-up",
        "status": "booked",
        "performer": "Daniel Okafor, DO",
        "detail": "Riverside Family Clinic, Main Street",
    }
    assert columns["effective_at"] == datetime.datetime(2026, 3, 9, 13, 30, tzinfo=datetime.UTC)
    assert columns["effective_end"] == datetime.datetime(2026, 3, 9, 13, 50, tzinfo=datetime.UTC)
    assert (columns["category"], columns["encounter_id"], columns["is_sensitive"]) == (
        "",
        "",
        False,
    )


def test_the_kind_of_visit_falls_back_to_the_appointment_type_then_the_specialty():
    by_type = columns_of(appointmentType=coded(V2_0276, "CHECKUP", "A routine check-up"))
    assert (by_type["code"], by_type["code_display"]) == ("CHECKUP", "A routine check-up")
    by_specialty = columns_of(serviceType=[{}], specialty=[{"text": "Cardiology"}])
    assert (by_specialty["code"], by_specialty["code_display"]) == ("", "Cardiology")


def test_the_reason_is_never_indexed_so_no_list_can_show_it():
    columns = columns_of(
        status="proposed",
        reasonCode=[{"text": "Depression follow-up"}],
        description="Depression follow-up",
        comment="Depression follow-up",
    )
    assert shown(columns) == dict.fromkeys(shown(columns), "") | {"status": "proposed"}
    assert columns["effective_at"] is None


def test_participants_are_chosen_by_type_and_those_who_declined_are_left_out():
    columns = columns_of(
        participant=[
            {
                "actor": {"reference": "Practitioner/p1", "display": "Maya Chen, MD"},
                "status": "declined",
            },
            {"actor": {"reference": "HealthcareService/h1", "display": "Lab"}},
            {
                "actor": {
                    "reference": "https://ehr.example/fhir/PractitionerRole/r1/_history/2",
                    "display": "Nurse Lee",
                }
            },
            {"actor": {"type": "Location", "display": "Annex, 2nd floor"}},
            {"actor": {"reference": "Location/l9", "display": "Second place"}},
        ]
    )
    assert (columns["performer"], columns["detail"]) == ("Nurse Lee", "Annex, 2nd floor")


def test_a_participant_is_named_through_display_for_when_the_reference_has_no_display():
    names = {"Practitioner/p2": "Daniel Okafor, DO", "Location/l1": "Main Street"}
    resource = {
        "resourceType": "Appointment",
        "participant": [
            {"actor": {"reference": "Practitioner/p2"}},
            {"actor": {"reference": "Location/l1"}},
        ],
    }
    columns = index_columns(resource, lambda ref: names.get((ref or {}).get("reference"), ""))
    assert (columns["performer"], columns["detail"]) == ("Daniel Okafor, DO", "Main Street")


MALFORMED_PARTICIPANTS = [
    {"participant": "x"},
    {"participant": [5, "x", {"actor": "x"}, {"actor": {"reference": 5}}]},
    {"participant": [{"actor": {"reference": "no-slash"}}, {"actor": {"type": 5}}]},
    {"serviceType": "x", "appointmentType": [5], "specialty": {"coding": "x"}},
    {"start": 2026, "end": ["2026"]},
]


@pytest.mark.parametrize("element", MALFORMED + MALFORMED_PARTICIPANTS)
def test_malformed_elements_give_empty_columns_not_errors(element):
    columns = columns_of(**element)
    assert (columns["code"], columns["performer"], columns["detail"]) == ("", "", "")
    assert (columns["effective_at"], columns["effective_end"]) == (None, None)


def test_a_stored_appointment_is_sensitive_when_labelled(cast):
    pat = cast.patient
    start = datetime.datetime(2026, 3, 9, 14, tzinfo=datetime.UTC)
    label = {"security": [{"code": "PSY"}]}
    plain, sensitive = store(pat, appointment(pat, start), appointment(pat, start, meta=label))
    stored = ClinicalResource.objects.get(pk=plain.pk)
    assert (stored.resource_type, stored.effective_at, stored.code_display) == (
        "Appointment",
        start,
        "Follow-up visit",
    )
    assert (stored.performer, stored.detail, stored.is_sensitive) == (
        "Maya Chen, MD",
        "Main Street Office",
        False,
    )
    assert ClinicalResource.objects.get(pk=sensitive.pk).is_sensitive is True
