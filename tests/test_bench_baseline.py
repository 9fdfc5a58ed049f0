"""The bench's yardstick (bench/urls.py): a bare page, signed out, one indexed query, no writes.

Cast: one patient of one clinic, with 60 heart-rate readings; nobody signed in.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from carebridge.records.models import ClinicalResource
from carebridge.testing.factories import make_clinic, make_patient
from carebridge.testing.records import heart_rate, store

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]
ROW = re.compile(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>")


@pytest.fixture
def bench_templates(settings: Any) -> None:
    from bench.settings import with_bench_templates

    settings.TEMPLATES = with_bench_templates(settings.TEMPLATES)


@pytest.fixture
def readings() -> list[ClinicalResource]:
    patient = make_patient(make_clinic())
    first = datetime.date(2026, 1, 1)
    days = [first + datetime.timedelta(days=n) for n in range(60)]
    return store(patient, *(heart_rate(patient, day, 60 + n) for n, day in enumerate(days)))


@pytest.mark.usefixtures("bench_templates")
def test_bare_page_reads_fifty_rows_with_one_query(
    client: Client, readings: list[ClinicalResource], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        response = client.get("/bench/baseline/")

    assert response.status_code == 200
    rows = ROW.findall(response.content.decode())
    first = sorted(readings, key=lambda row: row.pk)[:50]
    assert rows == [
        (str(row.pk), "8867-4", timezone.localtime(row.effective_at).isoformat()) for row in first
    ]


@pytest.mark.usefixtures("bench_templates")
def test_bare_page_sets_no_cookie_and_keeps_no_session(
    client: Client, readings: list[ClinicalResource]
) -> None:
    response = client.get("/bench/baseline/")

    assert response.status_code == 200
    assert dict(response.cookies) == {}
    assert "Set-Cookie" not in response.headers
    assert Session.objects.count() == 0
