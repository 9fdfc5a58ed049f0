"""Every query of the pages used daily is answered from an index, on PostgreSQL.

Each page a patient or a member of staff opens every day is rendered once, every query it runs
is captured, and PostgreSQL plans each one with sequential scans switched off
(`carebridge.testing.query_plans`). A sequential scan that remains means no index can answer the
query: harmless on a test's few rows, minutes of reading at a health system's 50 million
observations. The test fails on any sequential scan of a table that grows with the number of
patients or of records, naming the page, the table and the query; only the small tables below,
which grow with a clinic's set-up and never with its patients, may be read whole.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam, Topic
from carebridge.messaging.services import reply, start_thread
from carebridge.scheduling.tests.factories import local, make_appointment, make_hours, make_schedule
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast
from carebridge.testing.query_plans import (
    SeqScan,
    index_lookups,
    planned_without_sequential_scans,
    sequential_scans,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Query plans are PostgreSQL's: SQLite's planner and EXPLAIN differ.",
    ),
]

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)

# Tables that may be read whole, each for its reason. None holds a row per patient or record.
SMALL_TABLES = {
    # Django's own registries: one row per model, permission and role group.
    "django_content_type": "one row per model",
    "auth_permission": "a few rows per model",
    "auth_group": "one row per staff role",
    "auth_group_permissions": "the roles' permissions, fixed by a migration",
    # A clinic's set-up, entered by its administrators: dozens of rows, not millions.
    "clinic_clinic": "one row per clinic",
    "clinic_location": "a clinic's offices",
    "clinic_practitioner": "a clinic's clinicians",
    "clinic_practitioner_locations": "where each clinician works",
    "scheduling_visittype": "a clinic's kinds of visit",
    "scheduling_visittype_practitioners": "who offers each kind of visit",
    "scheduling_visittype_locations": "where each kind of visit is offered",
    "scheduling_weeklyhours": "each clinician's weekly working hours",
    "messaging_careteam": "a clinic's care teams",
    "messaging_careteam_members": "who answers for each team",
}


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[datetime.datetime]:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@dataclass
class Day:
    """What the daily pages show: Pat's sample record, a conversation with the nurse's team and
    a check-up with Dr Okafor today, who works every weekday at the Main Street office."""

    cast: Cast
    thread_id: object
    visit_type_id: int


def make_day(cast: Cast) -> Day:
    schedule = make_schedule(cast.clinic, name="Check-up")
    for weekday in range(5):
        make_hours(schedule.practitioner, schedule.location, weekday, "09:00", "17:00")
    make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2026, 3, 4, 16),
    )
    team = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    team.members.add(StaffMember.objects.get(user=cast.nurse))
    thread = start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject="My tablets",
        body="Should I take them with food?",
        now=NOW - datetime.timedelta(hours=2),
    )
    reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=thread,
        body="Yes, with breakfast.",
        now=NOW - datetime.timedelta(hours=1),
    )
    return Day(cast, thread.pk, schedule.visit_type.pk)


def patient_pages(day: Day) -> dict[str, str]:
    record = day.cast.record
    assert record is not None
    result = record.hba1c.pk
    return {
        "home": reverse("home:home"),
        "record summary": reverse("records:summary"),
        "results": reverse("records:results"),
        "one result": reverse("records:result-detail", args=[result]),
        "trend": reverse("records:test-trend", args=[result]),
        "vitals": reverse("records:vitals"),
        "medications": reverse("records:medications"),
        "appointments": reverse("scheduling:appointments"),
        "booking times": f"{reverse('scheduling:book-times')}?type={day.visit_type_id}",
        "messages": reverse("messaging:threads"),
        "one conversation": reverse("messaging:thread", args=[day.thread_id]),
        "account activity": reverse("audit:activity"),
    }


def staff_pages(day: Day) -> dict[str, tuple[str, str]]:
    """Each staff page and who opens it."""
    chart = reverse("staff:chart-results", args=[day.cast.patient.pk])
    return {
        "staff inbox": ("nurse", reverse("staff:inbox")),
        "staff schedule day": ("front_desk", reverse("staff:schedule-day")),
        "staff chart results": ("clinician", chart),
    }


def page_queries(client: Client, address: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return [query["sql"] for query in queries.captured_queries]


def growing_scans(queries: list[str]) -> list[SeqScan]:
    return [scan for scan in sequential_scans(queries) if scan.table not in SMALL_TABLES]


def test_no_daily_page_reads_a_growing_table_from_end_to_end(cast_with_records: Cast) -> None:
    day = make_day(cast_with_records)
    patient = client_for(cast_with_records.patient_user)
    found: dict[str, list[SeqScan]] = {}
    for page, address in patient_pages(day).items():
        found[page] = growing_scans(page_queries(patient, address))
    for page, (who, address) in staff_pages(day).items():
        client = client_for(getattr(cast_with_records, who))
        found[page] = growing_scans(page_queries(client, address))
    report = [
        f"{page}: {scan.table} read whole by\n    {scan.sql}"
        for page, scans in found.items()
        for scan in scans
    ]
    assert report == [], "\n".join(report)


def test_every_table_allowed_to_be_read_whole_exists() -> None:
    # A renamed table would otherwise leave its name here, allowing nothing and hiding nothing.
    assert sorted(set(SMALL_TABLES) - set(connection.introspection.table_names())) == []


def test_the_schedule_day_reads_the_days_ehr_appointments_by_clinic_type_and_time(
    cast: Cast,
) -> None:
    # The day's check-ins of appointments booked in the EHR: read from `resource_day`
    # with all three columns, not from every resource the clinic holds.
    client = client_for(cast.front_desk)
    queries = page_queries(client, reverse("staff:schedule-day"))
    (check_ins,) = [sql for sql in queries if 'FROM "scheduling_cliniccheckin"' in sql]
    lookups = dict(index_lookups(planned_without_sequential_scans(check_ins)))
    assert sorted(lookups) == [
        "accounts_user_pkey",
        "patients_patient_pkey",
        "resource_day",
        "scheduling_cliniccheckin_pkey",
    ]
    assert lookups["resource_day"] == (
        f"((clinic_id = {cast.clinic.pk}) AND ((resource_type)::text = 'Appointment'::text)"
        " AND (effective_at >= '2026-03-04 05:00:00+00'::timestamp with time zone)"
        " AND (effective_at < '2026-03-05 05:00:00+00'::timestamp with time zone))"
    )


def test_the_staff_inbox_reads_the_teams_open_threads_newest_first_from_one_index(
    cast: Cast,
) -> None:
    # The inbox's first page walks `thread_team_open` in its order and stops after a page,
    # where the index by status left every open thread to read and sort (and, at 20,000
    # patients, every patient and user to hash-join: 28 ms, the slowest query of any page).
    make_day(cast)
    queries = page_queries(client_for(cast.nurse), reverse("staff:inbox"))
    newest_first = 'ORDER BY "messaging_thread"."last_message_at" DESC'
    (listing,) = [sql for sql in queries if newest_first in sql]
    lookups = dict(index_lookups(planned_without_sequential_scans(listing)))
    team = CareTeam.objects.get(clinic=cast.clinic)
    assert lookups["thread_team_open"] == f"(team_id = {team.pk})"
