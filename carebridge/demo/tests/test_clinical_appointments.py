"""The demo records' appointments: the last visits as attended appointments, one cancelled, two
to come; dated from the visits and today alone, and imported with their index columns."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from carebridge.demo.records import load_demo_records
from carebridge.demo.tests.clinical_helpers import PRACTITIONERS, TODAY, build, resources
from carebridge.records.models import ClinicalResource
from carebridge.testing import factories

V2_0276 = "http://terminology.hl7.org/CodeSystem/v2-0276"


def summary(appointment: dict[str, Any]) -> tuple[str, str, str, str, str, str]:
    """Status, kind of visit, start, end, clinician and place."""
    people = [p["actor"].get("display", "") for p in appointment["participant"]]
    return (
        appointment["status"],
        appointment["serviceType"][0]["text"],
        appointment["start"],
        appointment["end"],
        people[1],
        people[2],
    )


def test_a_chosen_adult_has_exactly_these_appointments(bundles):
    clinic = "Riverside Family Clinic"
    assert [summary(a) for a in resources(bundles[9], "Appointment")] == [
        (
            "fulfilled",
            "Follow-up visit",
            "2025-08-04T13:00:00-04:00",
            "2025-08-04T13:20:00-04:00",
            "Maya Chen, MD",
            clinic,
        ),
        (
            "fulfilled",
            "Sick visit",
            "2025-11-17T09:00:00-05:00",
            "2025-11-17T09:20:00-05:00",
            "Maya Chen, MD",
            clinic,
        ),
        (
            "fulfilled",
            "Annual physical",
            "2025-12-22T12:00:00-05:00",
            "2025-12-22T12:40:00-05:00",
            "Daniel Okafor, DO",
            clinic,
        ),
        # Cancelled a week before the check-up that replaced it.
        (
            "cancelled",
            "Annual physical",
            "2025-12-15T12:00:00-05:00",
            "2025-12-15T12:40:00-05:00",
            "Daniel Okafor, DO",
            clinic,
        ),
        # Today is Thursday 15 January; nine days on is a Saturday, so the Monday after.
        (
            "booked",
            "Follow-up visit",
            "2026-01-26T12:00:00-05:00",
            "2026-01-26T12:20:00-05:00",
            "Daniel Okafor, DO",
            clinic,
        ),
        (
            "booked",
            "Annual physical",
            "2026-02-24T09:30:00-05:00",
            "2026-02-24T10:10:00-05:00",
            "Daniel Okafor, DO",
            clinic,
        ),
    ]


def test_a_child_is_booked_for_a_well_child_visit(bundles):
    booked = [a for a in resources(bundles[0], "Appointment") if a["status"] == "booked"]
    assert [a["serviceType"][0]["text"] for a in booked] == ["Follow-up visit", "Well-child visit"]
    assert [a["appointmentType"]["coding"][0]["code"] for a in booked] == ["FOLLOWUP", "CHECKUP"]


def test_every_record_has_its_last_visits_booked_one_cancelled_and_two_to_come(bundles):
    for bundle in bundles:
        appointments = resources(bundle, "Appointment")
        encounters = resources(bundle, "Encounter")
        attended = [a for a in appointments if a["status"] == "fulfilled"]
        # Each attended appointment is one of the last three visits: same times, same clinician.
        assert [(a["start"], a["end"]) for a in attended] == [
            (e["period"]["start"], e["period"]["end"]) for e in encounters[-3:]
        ]
        assert [a["participant"][1]["actor"] for a in attended] == [
            e["participant"][0]["individual"] for e in encounters[-3:]
        ]
        [cancelled] = [a for a in appointments if a["status"] == "cancelled"]
        assert cancelled["cancelationReason"]["coding"][0]["code"] == "pat"
        assert cancelled["start"][:10] < encounters[-1]["period"]["start"][:10]
        upcoming = [a for a in appointments if a["status"] == "booked"]
        assert [datetime.date.fromisoformat(a["start"][:10]) > TODAY for a in upcoming] == [
            True,
            True,
        ]
        for appointment in appointments:
            assert (
                appointment["participant"][0]["actor"]["reference"]
                == f"urn:uuid:{resources(bundle)[0]['id']}"
            )
            assert appointment["appointmentType"]["coding"][0]["system"] == V2_0276
            assert datetime.date.fromisoformat(appointment["start"][:10]).weekday() < 5


def test_the_upcoming_appointments_move_with_today_and_keep_their_ids(patients, bundles):
    later = build(patients[9], today=TODAY + datetime.timedelta(days=7))
    before = [a for a in resources(bundles[9], "Appointment") if a["status"] == "booked"]
    after = [a for a in resources(later, "Appointment") if a["status"] == "booked"]
    assert [a["id"] for a in after] == [a["id"] for a in before]
    # Thursday 22 January: nine days on is a Saturday (so Monday 2 February), forty a Tuesday.
    assert [a["start"][:10] for a in after] == ["2026-02-02", "2026-03-03"]


def test_the_large_record_has_appointments_too(large_record):
    statuses = [a["status"] for a in resources(large_record, "Appointment")]
    assert statuses == ["fulfilled", "fulfilled", "fulfilled", "cancelled", "booked", "booked"]


@pytest.mark.django_db
def test_imported_appointments_are_indexed_for_the_appointments_page(patients):
    clinic = factories.make_clinic(name="Riverside Family Clinic", slug="riverside")
    load_demo_records(clinic, [patients[9]], PRACTITIONERS, TODAY)
    rows = ClinicalResource.objects.filter(resource_type="Appointment").order_by("effective_at")
    assert [
        (row.status, row.code_display, row.performer, row.detail, row.effective_at.isoformat())
        for row in rows
    ][-3:] == [
        (
            "fulfilled",
            "Annual physical",
            "Daniel Okafor, DO",
            "Riverside Family Clinic",
            "2025-12-22T17:00:00+00:00",
        ),
        (
            "booked",
            "Follow-up visit",
            "Daniel Okafor, DO",
            "Riverside Family Clinic",
            "2026-01-26T17:00:00+00:00",
        ),
        (
            "booked",
            "Annual physical",
            "Daniel Okafor, DO",
            "Riverside Family Clinic",
            "2026-02-24T14:30:00+00:00",
        ),
    ]
    assert {row.patient_id for row in rows} != {None}
    assert rows.count() == 6
