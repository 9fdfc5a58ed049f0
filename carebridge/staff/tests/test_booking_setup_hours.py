"""The weekly hours set-up pages (a clinician's hours, added and removed, and what the booking
pages then offer), and time off: holidays for administrators, audited before and after."""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.scheduling.availability import available_slots
from carebridge.scheduling.models import TimeOff, TimeOffKind, WeeklyHours
from carebridge.scheduling.tests.factories import (
    Schedule,
    local,
    make_hours,
    make_schedule,
    make_time_off,
)
from carebridge.staff.tests.schedule_setup import NOW, frozen_clock  # noqa: F401
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

HOURS = reverse("staff:setup-hours")
BLOCK = reverse("staff:schedule-block")
MONDAY = datetime.date(2026, 3, 9)


@pytest.fixture
def schedule(cast: Cast) -> Schedule:
    return make_schedule(cast.clinic)


def page_text(html: str) -> str:
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([:,.)])", r"\1", words)


def clinician_url(schedule: Schedule) -> str:
    return reverse("staff:setup-hours-clinician", args=[schedule.practitioner.pk])


def offered(schedule: Schedule) -> list[datetime.datetime]:
    slots = available_slots(schedule.visit_type, now=NOW, date_from=MONDAY, days=1, limit=None)
    return [slot.starts_at for slot in slots]


def hours_data(schedule: Schedule, **fields: str) -> dict[str, str]:
    return {
        "weekday": "0",
        "starts_at": "09:00",
        "ends_at": "10:00",
        "location": str(schedule.location.pk),
    } | fields


def test_the_hours_page_lists_the_clinics_clinicians(cast: Cast, schedule: Schedule) -> None:
    make_hours(schedule.practitioner, schedule.location, 0, "09:00", "12:00")
    make_schedule(cast.other_clinic)
    response = client_for(cast.clinic_admin).get(HOURS)
    text = page_text(response.content.decode())
    place = schedule.location.name
    assert (
        f"Kim Lee, MD 0 blocks of hours a week. Places: {place} "
        f"Sam Okafor, MD 1 block of hours a week. Places: {place} "
        "Time off and clinic closures"
    ) in text
    assert f'href="{BLOCK}"' in response.content.decode()


def test_a_clinicians_page_lists_their_hours_and_when_a_change_applies(
    cast: Cast, schedule: Schedule
) -> None:
    make_hours(schedule.practitioner, schedule.location, 2, "13:00", "17:00")
    make_hours(schedule.practitioner, schedule.location, 0, "09:00", "12:00")
    response = client_for(cast.clinic_admin).get(clinician_url(schedule))
    text = page_text(response.content.decode())
    place = schedule.location.name
    assert "A change takes effect at once: the booking pages offer the new times" in text
    assert (
        f"Monday: 9:00 a.m. to 12:00 p.m., {place} Remove the hours on Monday from 9:00 a.m. "
        f"Wednesday: 1:00 p.m. to 5:00 p.m., {place} Remove the hours on Wednesday from 1:00 p.m."
    ) in text


def test_hours_added_on_the_page_are_offered_at_once(cast: Cast, schedule: Schedule) -> None:
    assert offered(schedule) == []
    url = clinician_url(schedule)
    response = client_for(cast.clinic_admin).post(url, hours_data(schedule))
    assert (response.status_code, response["Location"]) == (302, url)
    assert flashed(response) == ["The hours are added. Patients can book these times from now on."]
    assert offered(schedule) == [local(2026, 3, 9, 9), local(2026, 3, 9, 9, 30)]
    event = AuditEvent.objects.get(object_type="weekly_hours")
    assert (event.action, event.actor_label, event.changes["starts_at"]) == (
        "create",
        "Ada Admin",
        {"before": None, "after": "09:00"},
    )


def test_hours_removed_on_the_page_are_no_longer_offered(cast: Cast, schedule: Schedule) -> None:
    hours = make_hours(schedule.practitioner, schedule.location, 0, "09:00", "10:00")
    assert len(offered(schedule)) == 2
    url = reverse("staff:setup-hours-remove", args=[schedule.practitioner.pk, hours.pk])
    response = client_for(cast.clinic_admin).post(url)
    assert (response.status_code, response["Location"]) == (302, clinician_url(schedule))
    assert offered(schedule) == []
    event = AuditEvent.objects.get(object_type="weekly_hours")
    assert (event.action, event.object_id, event.changes["day"]) == (
        "delete",
        str(hours.pk),
        {"before": "monday", "after": None},
    )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"starts_at": "11:00", "ends_at": "13:00"}, "overlap"),
        ({"ends_at": "08:00"}, "Ends at: The end must be after the start."),
        ({"starts_at": "9 o'clock"}, "Starts at: Enter the time the hours start, such as 09:00."),
        ({"weekday": "7"}, "Day: Choose the day."),
    ],
)
def test_refused_hours_say_why_and_add_nothing(
    cast: Cast, schedule: Schedule, fields: dict[str, str], error: str
) -> None:
    make_hours(schedule.practitioner, schedule.location, 0, "12:00", "14:00")
    response = client_for(cast.clinic_admin).post(
        clinician_url(schedule), hours_data(schedule, **fields)
    )
    assert response.status_code == 200
    text = page_text(response.content.decode())
    if error == "overlap":
        error = (
            "These hours overlap hours already set for Monday: 12:00 to 14:00 at "
            f"{schedule.location.name}. A clinician can be in only one place at a time."
        )
    assert f"There is a problem {error}" in text
    assert WeeklyHours.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="weekly_hours").exists()


def test_only_the_clinicians_places_can_be_chosen(cast: Cast, schedule: Schedule) -> None:
    data = hours_data(schedule, location=str(schedule.other_location.pk))
    response = client_for(cast.clinic_admin).post(clinician_url(schedule), data)
    assert "Place: Choose one of the clinician's places." in page_text(response.content.decode())
    assert WeeklyHours.objects.count() == 0


@pytest.mark.parametrize("persona", ["other_clinic_admin", "front_desk", "clinician"])
def test_others_get_404_for_our_clinicians_hours_and_change_nothing(
    cast: Cast, schedule: Schedule, persona: str
) -> None:
    hours = make_hours(schedule.practitioner, schedule.location, 0, "09:00", "10:00")
    client = client_for(getattr(cast, persona))
    remove = reverse("staff:setup-hours-remove", args=[schedule.practitioner.pk, hours.pk])
    assert client.get(clinician_url(schedule)).status_code == 404
    assert (
        client.post(clinician_url(schedule), hours_data(schedule, weekday="1")).status_code == 404
    )
    assert client.post(remove).status_code == 404
    assert WeeklyHours.objects.count() == 1
    assert not AuditEvent.objects.filter(object_type="weekly_hours").exists()


def test_hours_of_another_clinician_cannot_be_removed_through_this_ones_page(
    cast: Cast, schedule: Schedule
) -> None:
    hours = make_hours(schedule.other_practitioner, schedule.location, 0, "09:00", "10:00")
    url = reverse("staff:setup-hours-remove", args=[schedule.practitioner.pk, hours.pk])
    assert client_for(cast.clinic_admin).post(url).status_code == 404
    assert WeeklyHours.objects.count() == 1


# Time off: the schedule's block page, with holidays for clinic administrators.


def block_data(**fields: str) -> dict[str, Any]:
    return {
        "practitioner": "",
        "location": "",
        "start_date": "2026-12-24",
        "start_time": "00:00",
        "end_date": "2026-12-27",
        "end_time": "00:00",
        "note": "Christmas",
        "kind": "holiday",
    } | fields


def test_an_administrator_closes_the_whole_clinic_for_a_holiday_audited(
    cast: Cast, schedule: Schedule
) -> None:
    response = client_for(cast.clinic_admin).post(BLOCK, block_data())
    assert (response.status_code, response["Location"]) == (302, BLOCK)
    holiday = TimeOff.objects.get()
    assert (holiday.kind, holiday.practitioner, holiday.location) == ("holiday", None, None)
    event = AuditEvent.objects.get(object_type="time_off")
    after = {
        "kind": "holiday",
        "clinician": None,
        "place": None,
        "starts_at": "2026-12-24T00:00:00-05:00",
        "ends_at": "2026-12-27T00:00:00-05:00",
        "note": "Christmas",
    }
    # The whole clinic and every place are nothing before and after: not recorded as changes.
    expected = {
        name: {"before": None, "after": value} for name, value in after.items() if value is not None
    }
    assert (event.action, event.object_id, event.changes) == ("create", str(holiday.pk), expected)
    listed = page_text(client_for(cast.clinic_admin).get(BLOCK).content.decode())
    assert (
        "Holiday: The whole clinic: Thursday, December 24, 2026, 12:00 a.m. "
        "to Sunday, December 27, 2026" in listed
    )


def test_a_clinicians_leave_over_several_days_is_blocked(cast: Cast, schedule: Schedule) -> None:
    make_hours(schedule.practitioner, schedule.location, 0, "09:00", "10:00")
    data = block_data(
        practitioner=str(schedule.practitioner.pk),
        start_date="2026-03-06",
        end_date="2026-03-11",
        kind="blocked",
        note="Leave",
    )
    response = client_for(cast.front_desk).post(BLOCK, data)
    assert (response.status_code, response["Location"]) == (302, BLOCK)
    assert TimeOff.objects.get().kind == "blocked"
    assert offered(schedule) == []


def test_the_desk_cannot_record_or_remove_a_holiday(cast: Cast, schedule: Schedule) -> None:
    desk = client_for(cast.front_desk)
    assert 'name="kind"' not in desk.get(BLOCK).content.decode()
    desk.post(BLOCK, block_data())
    assert TimeOff.objects.get().kind == TimeOffKind.BLOCKED
    TimeOff.objects.all().delete()
    holiday = make_time_off(
        cast.clinic, local(2026, 4, 3, 0), local(2026, 4, 4, 0), kind=TimeOffKind.HOLIDAY
    )
    remove = reverse("staff:schedule-block-remove", args=[holiday.pk])
    assert remove not in desk.get(BLOCK).content.decode()
    response = desk.post(remove)
    assert flashed(response) == ["Only a clinic administrator can remove a holiday."]
    assert TimeOff.objects.filter(pk=holiday.pk).exists()
    assert not AuditEvent.objects.filter(object_type="time_off", action="delete").exists()


def test_an_administrator_removes_a_holiday_audited_with_what_it_was(
    cast: Cast, schedule: Schedule
) -> None:
    holiday = make_time_off(
        cast.clinic,
        local(2026, 4, 3, 0),
        local(2026, 4, 4, 0),
        kind=TimeOffKind.HOLIDAY,
        practitioner=schedule.practitioner,
        location=schedule.location,
        note="Good Friday",
    )
    remove = reverse("staff:schedule-block-remove", args=[holiday.pk])
    response = client_for(cast.clinic_admin).post(remove)
    assert flashed(response) == ["The blocked time is removed."]
    assert not TimeOff.objects.exists()
    event = AuditEvent.objects.get(object_type="time_off")
    before = {
        "kind": "holiday",
        "clinician": "Sam Okafor, MD",
        "place": schedule.location.name,
        "starts_at": "2026-04-03T00:00:00-04:00",
        "ends_at": "2026-04-04T00:00:00-04:00",
        "note": "Good Friday",
    }
    expected = {name: {"before": value, "after": None} for name, value in before.items()}
    assert (event.action, event.object_id, event.changes) == ("delete", str(holiday.pk), expected)


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_pages_cost_the_same_for_few_or_many_hours(cast: Cast, schedule: Schedule) -> None:
    client = client_for(cast.clinic_admin)
    client.get(HOURS)
    make_hours(schedule.practitioner, schedule.location, 0, "09:00", "12:00")
    few = (queries_for(client, HOURS), queries_for(client, clinician_url(schedule)))
    for weekday in range(1, 7):
        make_hours(schedule.practitioner, schedule.location, weekday, "09:00", "12:00")
        make_hours(schedule.other_practitioner, schedule.location, weekday, "13:00", "17:00")
    schedule.practitioner.locations.add(schedule.other_location)
    factories.make_practitioner(cast.clinic).locations.set([schedule.location])
    many = (queries_for(client, HOURS), queries_for(client, clinician_url(schedule)))
    assert many == few
