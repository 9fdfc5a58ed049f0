"""The staff inbox and the schedule's day and week cost the same queries for 3 threads or
appointments as for 300: each list is cut or read in a fixed number of queries, and the audit
of the patients shown is two bulk inserts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.messaging.models import Thread, ThreadStatus, Topic
from carebridge.patients.models import Patient
from carebridge.scheduling.tests.factories import local
from carebridge.staff.tests.inbox_setup import Inbox, make_inbox
from carebridge.staff.tests.schedule_setup import (  # noqa: F401
    NOW,
    Desk,
    frozen_clock,
    make_desk,
)
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

INBOX = reverse("staff:inbox")
DAY = reverse("staff:schedule-day")
WEEK = reverse("staff:schedule-week")
# The inbox: the session and the viewer (the staff membership is kept between requests), the
# member's teams, the page's count and threads, the audit of the patients listed, and the
# console's counts.
INBOX_QUERIES = 8
# The day and the week: the same sign-in work, the filters' clinicians and places, the
# appointments and time off, and the audit; the day also reads the EHR's online check-ins.
DAY_QUERIES = 10
WEEK_QUERIES = 9


def _threads(inbox: Inbox, patients: list[Patient], first: int, count: int) -> None:
    """`count` sent conversations with the family team, an hour apart, from these patients in
    turn."""
    Thread.objects.bulk_create(
        Thread(
            patient=patients[n % len(patients)],
            team=inbox.family,
            subject=f"Question {n}",
            topic=Topic.OTHER,
            created_by=inbox.cast.patient_user,
            status=ThreadStatus.NEW,
            last_message_at=NOW - datetime.timedelta(hours=n),
        )
        for n in range(first, first + count)
    )


def _queries(
    client: Client, path: str, params: dict[str, str], expected: int, assert_num: Any
) -> None:
    with assert_num(expected):
        assert client.get(path, params).status_code == 200


def test_the_inbox_costs_the_same_for_3_threads_as_for_300(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    inbox = make_inbox(cast)
    patients = [cast.patient, cast.second_patient]
    _threads(inbox, patients, 0, 3)
    client = client_for(cast.nurse)
    client.get(INBOX)  # The session's first request saves it: not counted.
    _queries(client, INBOX, {}, INBOX_QUERIES, django_assert_num_queries)
    _threads(inbox, patients, 3, 297)
    _queries(client, INBOX, {}, INBOX_QUERIES, django_assert_num_queries)
    _queries(client, INBOX, {"page": "12"}, INBOX_QUERIES, django_assert_num_queries)
    page = client.get(INBOX, {"page": "12"})
    assert [row.thread.subject for row in page.context["rows"]] == [
        f"Question {n}" for n in range(275, 300)
    ]


def _book(desk: Desk, first: int, count: int) -> None:
    """`count` check-ups on Wednesday, March 4, two minutes apart from 7:00, for Pat and Sam
    in turn."""
    patients = [desk.cast.patient, desk.cast.second_patient]
    for n in range(first, first + count):
        desk.book(patients[n % 2], local(2026, 3, 4, 7) + n * datetime.timedelta(minutes=2))


@pytest.mark.parametrize(("path", "queries"), [(DAY, DAY_QUERIES), (WEEK, WEEK_QUERIES)])
def test_the_schedule_costs_the_same_for_3_appointments_as_for_300(
    cast: Cast, django_assert_num_queries: Any, path: str, queries: int
) -> None:
    desk = make_desk(cast)
    _book(desk, 0, 3)
    client = client_for(cast.front_desk)
    params = {"date": "2026-03-04"}
    client.get(path, params)
    _queries(client, path, params, queries, django_assert_num_queries)
    _book(desk, 3, 297)
    _queries(client, path, params, queries, django_assert_num_queries)
