"""The administrator's visit type services (`services.setup`): their rules, their audit (each
changed setting before and after), and that booked appointments never change. On the
appointments tests' fixed day: Wednesday 4 March 2026, 10 a.m. in New York. Weekly hours are in
test_setup_hours_services.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.core.actor import Actor
from carebridge.scheduling.models import Appointment, VisitType
from carebridge.scheduling.services import setup as services
from carebridge.scheduling.services.setup import VisitTypeSettings
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_appointment,
    make_schedule,
)
from carebridge.scheduling.tests.setup_helpers import admin, changes
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(cast: Cast) -> Schedule:
    return make_schedule(cast.clinic)


def settings_for(schedule: Schedule, **fields: Any) -> VisitTypeSettings:
    values: dict[str, Any] = {
        "name": "Flu shot",
        "description": "A quick flu vaccine.",
        "duration_minutes": 10,
        "mode": "in_person",
        "online_booking": "everyone",
        "min_lead_hours": 1,
        "max_lead_days": 30,
        "cancel_before_hours": 2,
        "is_active": True,
        "copay_cents": 2500,
        "checkin_questions": "Any allergies to eggs?",
        "practitioners": [schedule.practitioner],
        "locations": [schedule.location],
    }
    return VisitTypeSettings(**(values | fields))


# Visit types.


def test_adding_a_visit_type_saves_every_setting_and_audits_each_value(
    cast: Cast, schedule: Schedule
) -> None:
    added = services.add_visit_type(
        actor=admin(cast), clinic=cast.clinic, settings=settings_for(schedule)
    )
    assert (added.clinic, added.name, added.duration_minutes, added.copay_cents) == (
        cast.clinic,
        "Flu shot",
        10,
        2500,
    )
    assert list(added.practitioners.all()) == [schedule.practitioner]
    assert list(added.locations.all()) == [schedule.location]
    after = {
        "cancel_before_hours": 2,
        "checkin_questions": "Any allergies to eggs?",
        "copay_cents": 2500,
        "description": "A quick flu vaccine.",
        "duration_minutes": 10,
        "is_active": True,
        "locations": [schedule.location.name],
        "max_lead_days": 30,
        "min_lead_hours": 1,
        "mode": "in_person",
        "name": "Flu shot",
        "online_booking": "everyone",
        "practitioners": ["Sam Okafor, MD"],
    }
    expected = {name: {"before": None, "after": value} for name, value in after.items()}
    assert changes("visit_type") == [("create", str(added.pk), "Ada Admin", expected)]


def test_changing_a_visit_type_audits_only_what_changed_as_sorted_names(
    cast: Cast, schedule: Schedule
) -> None:
    visit_type = schedule.visit_type
    settings = settings_for(
        schedule,
        name=visit_type.name,
        practitioners=[schedule.practitioner, schedule.other_practitioner],
    )
    services.change_visit_type(actor=admin(cast), visit_type=visit_type, settings=settings)
    expected = {
        "cancel_before_hours": {"before": 24, "after": 2},
        "checkin_questions": {"before": "", "after": "Any allergies to eggs?"},
        "copay_cents": {"before": None, "after": 2500},
        "description": {"before": "", "after": "A quick flu vaccine."},
        "duration_minutes": {"before": 30, "after": 10},
        "max_lead_days": {"before": 90, "after": 30},
        "min_lead_hours": {"before": 2, "after": 1},
        "practitioners": {
            "before": ["Sam Okafor, MD"],
            "after": ["Kim Lee, MD", "Sam Okafor, MD"],
        },
    }
    assert changes("visit_type") == [("update", str(visit_type.pk), "Ada Admin", expected)]
    visit_type.refresh_from_db()
    assert (visit_type.duration_minutes, visit_type.copay_cents) == (10, 2500)


def test_saving_a_visit_type_unchanged_records_nothing(cast: Cast, schedule: Schedule) -> None:
    visit_type = schedule.visit_type
    values = services.visit_type_values(visit_type)
    settings = VisitTypeSettings(
        **(values | {"practitioners": [schedule.practitioner], "locations": [schedule.location]})
    )
    services.change_visit_type(actor=admin(cast), visit_type=visit_type, settings=settings)
    assert changes("visit_type") == []


def test_changing_a_visit_type_leaves_booked_appointments_as_they_were(
    cast: Cast, schedule: Schedule
) -> None:
    visit = make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 9, 9),
    )
    schedule.other_practitioner.locations.add(schedule.other_location)
    settings = settings_for(
        schedule,
        name="Longer check-up",
        duration_minutes=60,
        is_active=False,
        practitioners=[schedule.other_practitioner],
        locations=[schedule.other_location],
    )
    services.change_visit_type(actor=admin(cast), visit_type=schedule.visit_type, settings=settings)
    kept = Appointment.objects.get(pk=visit.pk)
    assert (kept.starts_at, kept.ends_at, kept.status) == (
        local(2026, 3, 9, 9),
        local(2026, 3, 9, 9, 30),
        "booked",
    )
    assert (kept.practitioner, kept.location, kept.visit_type_id) == (
        schedule.practitioner,
        schedule.location,
        schedule.visit_type.pk,
    )


@pytest.mark.parametrize(
    ("fields", "problems"),
    [
        (
            {"duration_minutes": 4},
            {"duration_minutes": ["A visit must last from 5 to 240 minutes."]},
        ),
        (
            {"duration_minutes": 241},
            {"duration_minutes": ["A visit must last from 5 to 240 minutes."]},
        ),
        (
            {"min_lead_hours": 48, "max_lead_days": 2},
            {
                "max_lead_days": [
                    "The latest booking must be later than the soonest booking: make the days "
                    "ahead longer than the hours ahead."
                ]
            },
        ),
        (
            {"practitioners": [], "locations": []},
            {
                "practitioners": [
                    "Choose at least one clinician, or choose that nobody may book it online."
                ],
                "locations": [
                    "Choose at least one place, or choose that nobody may book it online."
                ],
            },
        ),
    ],
)
def test_a_visit_type_breaking_a_rule_is_refused_and_nothing_is_saved(
    cast: Cast, schedule: Schedule, fields: dict[str, Any], problems: dict[str, list[str]]
) -> None:
    with pytest.raises(ValidationError) as refusal:
        services.add_visit_type(
            actor=admin(cast), clinic=cast.clinic, settings=settings_for(schedule, **fields)
        )
    assert refusal.value.message_dict == problems
    assert (VisitType.objects.count(), changes("visit_type")) == (1, [])


@pytest.mark.parametrize(
    "fields",
    [
        {"online_booking": "nobody", "practitioners": [], "locations": []},
        {"is_active": False, "practitioners": [], "locations": []},
        {"duration_minutes": 5, "min_lead_hours": 0, "max_lead_days": 1},
        {"duration_minutes": 240, "min_lead_hours": 23, "max_lead_days": 1},
    ],
)
def test_a_visit_type_at_the_edges_of_the_rules_is_saved(
    cast: Cast, schedule: Schedule, fields: dict[str, Any]
) -> None:
    services.add_visit_type(
        actor=admin(cast), clinic=cast.clinic, settings=settings_for(schedule, **fields)
    )
    assert VisitType.objects.filter(name="Flu shot").count() == 1


def test_a_name_the_clinic_already_uses_is_refused(cast: Cast, schedule: Schedule) -> None:
    taken = schedule.visit_type.name.upper()
    with pytest.raises(ValidationError) as refusal:
        services.add_visit_type(
            actor=admin(cast), clinic=cast.clinic, settings=settings_for(schedule, name=taken)
        )
    assert refusal.value.message_dict == {
        "name": [f"The clinic already has a visit type called “{taken}”."]
    }
    assert VisitType.objects.count() == 1


def test_another_clinics_clinician_or_place_is_refused(cast: Cast, schedule: Schedule) -> None:
    theirs = make_schedule(cast.other_clinic)
    for fields in ({"practitioners": [theirs.practitioner]}, {"locations": [theirs.location]}):
        with pytest.raises(PermissionDenied):
            services.add_visit_type(
                actor=admin(cast), clinic=cast.clinic, settings=settings_for(schedule, **fields)
            )
    assert (VisitType.objects.filter(clinic=cast.clinic).count(), changes("visit_type")) == (1, [])


@pytest.mark.parametrize("persona", ["front_desk", "clinician", "billing", "other_clinic_admin"])
def test_only_the_clinics_administrator_may_change_visit_types(
    cast: Cast, schedule: Schedule, persona: str
) -> None:
    actor = Actor(user=getattr(cast, persona), acting_as="staff")
    with pytest.raises(PermissionDenied):
        services.add_visit_type(actor=actor, clinic=cast.clinic, settings=settings_for(schedule))
    with pytest.raises(PermissionDenied):
        services.remove_visit_type(actor=actor, visit_type=schedule.visit_type)
    assert (VisitType.objects.count(), changes("visit_type")) == (1, [])


def test_an_unused_visit_type_is_removed_and_its_settings_audited(
    cast: Cast, schedule: Schedule
) -> None:
    visit_type = schedule.visit_type
    visit_type_id, old_name = visit_type.pk, visit_type.name
    services.remove_visit_type(actor=admin(cast), visit_type=visit_type)
    assert not VisitType.objects.filter(pk=visit_type_id).exists()
    before = {
        "cancel_before_hours": 24,
        "checkin_questions": "",
        "description": "",
        "duration_minutes": 30,
        "is_active": True,
        "locations": [schedule.location.name],
        "max_lead_days": 90,
        "min_lead_hours": 2,
        "mode": "in_person",
        "name": old_name,
        "online_booking": "everyone",
        "practitioners": ["Sam Okafor, MD"],
    }
    # An empty copay was nothing before and is nothing after: not a change.
    expected = {name: {"before": value, "after": None} for name, value in before.items()}
    assert changes("visit_type") == [("delete", str(visit_type_id), "Ada Admin", expected)]


def test_a_visit_type_with_appointments_is_kept_and_can_stop_being_offered(
    cast: Cast, schedule: Schedule
) -> None:
    make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 9, 9),
        status="cancelled",
    )
    with pytest.raises(ValidationError) as refusal:
        services.remove_visit_type(actor=admin(cast), visit_type=schedule.visit_type)
    assert refusal.value.messages == [
        "Appointments or requests have been made for this visit type, so it is kept. To stop "
        "patients booking it, untick “Offered” and save."
    ]
    assert (VisitType.objects.count(), changes("visit_type")) == (1, [])
