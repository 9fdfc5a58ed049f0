"""The visit type set-up pages: the list, adding, changing and removing, for clinic
administrators of their own clinic only; and a property test over the form's numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.models import VisitType
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_appointment,
    make_schedule,
)
from carebridge.staff.booking_setup.forms import VisitTypeForm
from carebridge.staff.tests.schedule_setup import frozen_clock  # noqa: F401
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

LIST = reverse("staff:setup-visit-types")
ADD = reverse("staff:setup-visit-type-add")


@pytest.fixture
def schedule(cast: Cast) -> Schedule:
    return make_schedule(cast.clinic)


def page_text(html: str) -> str:
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([:,.)])", r"\1", words)


def form_data(schedule: Schedule, **fields: Any) -> dict[str, Any]:
    return {
        "name": "Flu shot",
        "description": "A quick flu vaccine.",
        "duration_minutes": "10",
        "mode": "in_person",
        "online_booking": "everyone",
        "practitioners": [str(schedule.practitioner.pk)],
        "locations": [str(schedule.location.pk)],
        "min_lead_hours": "1",
        "max_lead_days": "30",
        "cancel_before_hours": "2",
        "is_active": "on",
        "copay": "25.50",
        "checkin_questions": "Any allergies to eggs?\n",
    } | fields


def test_the_list_shows_each_visit_type_offered_or_not(cast: Cast, schedule: Schedule) -> None:
    schedule.visit_type.name = "Check-up"
    schedule.visit_type.save()
    VisitType.objects.create(
        clinic=cast.clinic, name="Annual physical", online_booking="nobody", is_active=False
    )
    make_schedule(cast.other_clinic)
    response = client_for(cast.clinic_admin).get(LIST)
    assert response.status_code == 200
    text = page_text(response.content.decode())
    assert (
        "2 visit types Name Offered Who may book it online Length Clinicians "
        "Annual physical (change) No, not offered Nobody: patients send a request 20 minutes "
        "Nobody yet "
        "Check-up (change) Yes New and returning patients 30 minutes Sam Okafor, MD"
    ) in text


def test_an_administrator_adds_a_visit_type(cast: Cast, schedule: Schedule) -> None:
    response = client_for(cast.clinic_admin).post(ADD, form_data(schedule))
    assert (response.status_code, response["Location"]) == (302, LIST)
    assert flashed(response) == ["“Flu shot” is added."]
    added = VisitType.objects.get(name="Flu shot")
    assert (
        added.clinic,
        added.duration_minutes,
        added.copay_cents,
        added.checkin_questions,
        added.min_lead_hours,
        added.max_lead_days,
        added.cancel_before_hours,
        added.is_active,
    ) == (cast.clinic, 10, 2550, "Any allergies to eggs?", 1, 30, 2, True)
    assert list(added.practitioners.all()) == [schedule.practitioner]
    event = AuditEvent.objects.get(object_type="visit_type")
    assert (event.action, event.object_id, event.acting_as) == ("create", str(added.pk), "staff")
    assert event.changes["copay_cents"] == {"before": None, "after": 2550}


def test_the_add_page_starts_with_the_usual_settings(cast: Cast, schedule: Schedule) -> None:
    html = client_for(cast.clinic_admin).get(ADD).content.decode()
    assert 'name="duration_minutes" value="20"' in html
    assert 'name="max_lead_days" value="90"' in html
    assert '<option value="established" selected>' in html
    assert '<legend class="label">Clinicians who offer it</legend>' in html


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"duration_minutes": "4"}, ["Length in minutes: Enter a whole number from 5 to 240."]),
        ({"duration_minutes": "ten"}, ["Length in minutes: Enter a whole number from 5 to 240."]),
        (
            {"min_lead_hours": "72", "max_lead_days": "3"},
            [
                "Latest booking, in days ahead: The latest booking must be later than the "
                "soonest booking: make the days ahead longer than the hours ahead."
            ],
        ),
        (
            {"practitioners": [], "locations": []},
            [
                "Clinicians who offer it: Choose at least one clinician, or choose that nobody "
                "may book it online.",
                "Places it is offered: Choose at least one place, or choose that nobody may "
                "book it online.",
            ],
        ),
        (
            {"copay": "-1"},
            ["Expected copay in dollars (optional): Enter an amount from $0 to $10,000."],
        ),
        ({"name": ""}, ["Name patients see: Give the visit type a name."]),
    ],
)
def test_a_form_breaking_a_rule_says_why_and_saves_nothing(
    cast: Cast, schedule: Schedule, fields: dict[str, Any], errors: list[str]
) -> None:
    response = client_for(cast.clinic_admin).post(ADD, form_data(schedule, **fields))
    assert response.status_code == 200
    summary = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S)
    assert summary is not None
    assert re.findall(r"<li><a [^>]*>([^<]*)</a></li>", summary.group(0)) == errors
    assert (
        VisitType.objects.count(),
        AuditEvent.objects.filter(object_type="visit_type").count(),
    ) == (1, 0)


def test_another_clinics_clinician_cannot_be_chosen(cast: Cast, schedule: Schedule) -> None:
    theirs = make_schedule(cast.other_clinic)
    data = form_data(schedule, practitioners=[str(theirs.practitioner.pk)])
    response = client_for(cast.clinic_admin).post(ADD, data)
    assert "Clinicians who offer it: Choose from the list." in page_text(response.content.decode())
    assert not VisitType.objects.filter(name="Flu shot").exists()


def test_a_change_is_saved_and_booked_appointments_stay_as_they_were(
    cast: Cast, schedule: Schedule
) -> None:
    visit_type = schedule.visit_type
    visit = make_appointment(
        cast.patient, visit_type, schedule.practitioner, schedule.location, local(2026, 3, 9, 9)
    )
    url = reverse("staff:setup-visit-type-edit", args=[visit_type.pk])
    client = client_for(cast.clinic_admin)
    assert f'value="{visit_type.name}"' in client.get(url).content.decode()
    data = form_data(schedule, name="Long check-up", duration_minutes="60", is_active="")
    response = client.post(url, data)
    assert (response.status_code, response["Location"]) == (302, LIST)
    assert flashed(response) == ["The changes are saved."]
    visit_type.refresh_from_db()
    assert (visit_type.name, visit_type.duration_minutes, visit_type.is_active) == (
        "Long check-up",
        60,
        False,
    )
    visit.refresh_from_db()
    assert (visit.starts_at, visit.ends_at) == (local(2026, 3, 9, 9), local(2026, 3, 9, 9, 30))


def test_removing_asks_first_and_keeps_a_visit_type_that_was_booked(
    cast: Cast, schedule: Schedule
) -> None:
    make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 9, 9),
    )
    url = reverse("staff:setup-visit-type-remove", args=[schedule.visit_type.pk])
    client = client_for(cast.clinic_admin)
    response = client.post(url)
    assert response.status_code == 200
    assert "so it is kept with its history" in response.content.decode()
    assert VisitType.objects.count() == 1
    unused = VisitType.objects.create(clinic=cast.clinic, name="Unused")
    url = reverse("staff:setup-visit-type-remove", args=[unused.pk])
    assert "Removing it cannot be undone." in client.get(url).content.decode()
    response = client.post(url)
    assert (response.status_code, response["Location"], flashed(response)) == (
        302,
        LIST,
        ["The visit type is removed."],
    )
    assert list(VisitType.objects.values_list("name", flat=True)) == [schedule.visit_type.name]


@pytest.mark.parametrize("name", ["staff:setup-visit-type-edit", "staff:setup-visit-type-remove"])
@pytest.mark.parametrize("persona", ["other_clinic_admin", "front_desk"])
def test_another_clinics_administrator_and_the_desk_get_404_and_change_nothing(
    cast: Cast, schedule: Schedule, name: str, persona: str
) -> None:
    url = reverse(name, args=[schedule.visit_type.pk])
    client = client_for(getattr(cast, persona))
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(schedule, name="Taken over")).status_code == 404
    schedule.visit_type.refresh_from_db()
    assert schedule.visit_type.name.startswith("Check-up")
    assert AuditEvent.objects.filter(object_type="visit_type").count() == 0


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
COPAYS = st.one_of(st.just(""), st.decimals(min_value=-100, max_value=20_000, places=2).map(str))


@FUZZ
@given(
    duration=st.integers(-10, 400),
    soonest=st.integers(-5, 10_000),
    latest=st.integers(-5, 800),
    cancel=st.integers(-5, 800),
    copay=COPAYS,
)
def test_the_form_accepts_exactly_the_numbers_the_rules_allow(
    cast: Cast,
    schedule: Schedule,
    duration: int,
    soonest: int,
    latest: int,
    cancel: int,
    copay: str,
) -> None:
    data = form_data(
        schedule,
        duration_minutes=str(duration),
        min_lead_hours=str(soonest),
        max_lead_days=str(latest),
        cancel_before_hours=str(cancel),
        copay=copay,
    )
    form = VisitTypeForm(data, clinic=cast.clinic)
    copay_ok = copay == "" or 0 <= Decimal(copay) <= 10_000
    expected = (
        5 <= duration <= 240
        and 0 <= soonest <= 8760
        and 1 <= latest <= 730
        and 0 <= cancel <= 720
        and soonest < latest * 24
        and copay_ok
    )
    assert form.is_valid() is expected, form.errors
    if expected:
        cleaned = form.settings()
        assert (cleaned.duration_minutes, cleaned.min_lead_hours, cleaned.max_lead_days) == (
            duration,
            soonest,
            latest,
        )
        assert cleaned.copay_cents == (None if copay == "" else int(Decimal(copay) * 100))


@FUZZ
@given(
    typed=st.dictionaries(
        st.sampled_from(
            ["duration_minutes", "min_lead_hours", "max_lead_days", "copay", "name", "mode"]
        ),
        st.text(max_size=12),
    )
)
def test_any_text_in_the_form_is_refused_or_cleaned_never_an_error(
    cast: Cast, schedule: Schedule, typed: dict[str, str]
) -> None:
    form = VisitTypeForm(form_data(schedule, **typed), clinic=cast.clinic)
    if form.is_valid():
        assert 5 <= form.settings().duration_minutes <= 240
    else:
        assert all(name in form.fields for name in form.errors)


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_list_costs_the_same_for_one_or_many_visit_types(
    cast: Cast, schedule: Schedule
) -> None:
    client = client_for(cast.clinic_admin)
    client.get(LIST)
    one = queries_for(client, LIST)
    for n in range(5):
        VisitType.objects.create(clinic=cast.clinic, name=f"Visit {n}").practitioners.set(
            [schedule.practitioner, schedule.other_practitioner]
        )
    assert queries_for(client, LIST) == one
