"""A search or a read costs the same few queries whatever the record's size; each API read is
audited once, and the connection's last read noted at most once a minute; Account activity
says which app read."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.fhir.models import Connection
from carebridge.fhir.tests.api import api_id, get
from carebridge.testing.fhir import connect_app, issue_token, register_app
from carebridge.testing.personas import Cast
from carebridge.testing.records import hba1c, store

pytestmark = pytest.mark.django_db

# Token and its link, the acting context's own record, the rate counter, the count and the
# page (or the one row), the audit event and its queue (in a savepoint), last_read_at.
SEARCH_BUDGET = 12


def _observations(cast: Cast, how_many: int) -> list[Any]:
    start = datetime.date(2020, 1, 1)
    return store(
        cast.patient,
        *(
            hba1c(cast.patient, start + datetime.timedelta(days=number), 5.0 + number / 1000)
            for number in range(how_many)
        ),
    )


@pytest.mark.parametrize("how_many", [10, 500])
def test_a_search_page_and_a_read_cost_the_same_queries_at_any_size(
    cast: Cast, how_many: int, django_assert_max_num_queries: Any
) -> None:
    rows = _observations(cast, how_many)
    token = issue_token(connect_app(user=cast.patient_user, patient=cast.patient))
    with django_assert_max_num_queries(SEARCH_BUDGET):
        response = get(token, "Observation?category=laboratory&_count=200")
    assert json.loads(response.content)["total"] == how_many
    with django_assert_max_num_queries(SEARCH_BUDGET):
        second_page = get(token, "Observation?_count=200&_offset=200")
    assert second_page.status_code == 200
    with django_assert_max_num_queries(SEARCH_BUDGET):
        assert get(token, f"Observation/{api_id(rows[-1])}").status_code == 200


def test_each_read_is_audited_once_and_the_last_read_noted_once_a_minute(cast: Cast) -> None:
    connection = connect_app(user=cast.patient_user, patient=cast.patient)
    token = issue_token(connection)
    first = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(first, tick=False):
        get(token, "Observation")
    with time_machine.travel(first + datetime.timedelta(seconds=30), tick=False):
        get(token, f"Patient/{cast.patient.pk}")
    assert Connection.objects.get(pk=connection.pk).last_read_at == first
    later = first + datetime.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        get(token, "Condition")
    assert Connection.objects.get(pk=connection.pk).last_read_at == later
    events = AuditEvent.objects.filter(object_type="api_read").order_by("sequence")
    assert [
        (e.actor_id, e.patient_id, e.action, e.acting_as, e.object_id, e.outcome) for e in events
    ] == [(cast.patient_user.pk, cast.patient.pk, "view", "app", str(connection.pk), "success")] * 3


def test_metadata_is_not_audited_and_needs_no_token(cast: Cast) -> None:
    response = Client().get("/fhir/metadata")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(object_type="api_read").count() == 0


def test_account_activity_says_which_app_read(
    cast: Cast, patient_client: Client, django_assert_max_num_queries: Any
) -> None:
    diary = register_app(cast.patient, name="Health Diary")
    steps = register_app(cast.patient, name="Step Counter")
    for application in (diary, steps, diary):
        connection = connect_app(
            user=cast.patient_user, patient=cast.patient, application=application
        )
        get(issue_token(connection), f"Patient/{cast.patient.pk}")
    url = reverse("audit:activity")
    patient_client.get(url)
    # The page's own budget (see audit's tests), one query for the apps' names in the person
    # filter and one for their names in the list.
    with django_assert_max_num_queries(24):
        response = patient_client.get(url)
    rows = [(row.who, row.acting_as, row.what) for row in response.context["looked_rows"]]
    app = "An app connected to the record"
    assert rows == [
        ("Health Diary (connected app)", app, "Read by Health Diary"),
        ("Step Counter (connected app)", app, "Read by Step Counter"),
        ("Health Diary (connected app)", app, "Read by Health Diary"),
    ]
    assert "Read by Step Counter" in response.content.decode()
    choices = [label for _value, label in response.context["form"].fields["person"].choices]
    assert choices == ["Everyone", "Health Diary", "Step Counter"]
    # The diary, connected twice, is one choice that keeps both connections' reads.
    diary_value = response.context["form"].fields["person"].choices[1][0]
    filtered = patient_client.get(url, {"person": diary_value}).context["looked_rows"]
    assert [row.what for row in filtered] == ["Read by Health Diary", "Read by Health Diary"]


# A caregiver's token also resolves what their grant lets them see today (three queries).
PROXY_SEARCH_BUDGET = SEARCH_BUDGET + 3


@pytest.mark.parametrize("how_many", [10, 500])
def test_a_caregivers_search_costs_the_same_queries_at_any_size(
    cast: Cast, how_many: int, django_assert_max_num_queries: Any
) -> None:
    _observations(cast, how_many)
    connection = connect_app(
        user=cast.proxies.full_caregiver, patient=cast.patient, acting_as="proxy"
    )
    token = issue_token(connection)
    with django_assert_max_num_queries(PROXY_SEARCH_BUDGET):
        response = get(token, "Observation?_count=50")
    assert json.loads(response.content)["total"] == how_many
