"""The unread count beside "Messages" is kept between requests (no query while nothing
changed) and is right on the very next request after a message, a reading or a grant."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from carebridge.accounts.kept import RENEW_BATCH, forget_for
from carebridge.accounts.models import User
from carebridge.messaging import services
from carebridge.messaging.models import CareTeam, Thread, ThreadRead, Topic
from carebridge.messaging.tests.conftest import NOW
from carebridge.proxies.models import EndReason
from carebridge.proxies.services.grants import revoke_grant
from carebridge.testing.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

PAGE = "/account/"


def _start(cast: Any, team: CareTeam, subject: str) -> Thread:
    return services.start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject=subject,
        body="A question.",
        now=NOW - datetime.timedelta(hours=1),
    )


def _answer(cast: Any, thread: Thread, minutes: int) -> None:
    services.reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=thread,
        body="An answer.",
        # Before the (stopped) clock's now, when the pages are read.
        now=NOW - datetime.timedelta(hours=1) + datetime.timedelta(minutes=minutes),
    )


def _count(client: Client) -> int:
    """The number beside "Messages" in the navigation (0 when none is shown)."""
    html = client.get(PAGE).content.decode()
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    found = re.search(r'>Messages <span class="nav-count">(\d+)<', nav)
    return int(found.group(1)) if found else 0


def _threads_counted(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(PAGE)
    return sum('FROM "messaging_thread"' in q["sql"] for q in queries.captured_queries)


def test_the_count_is_kept_until_something_changes(cast, team):
    thread = _start(cast, team, "First")
    _answer(cast, thread, 5)
    client = client_for(cast.patient_user)
    assert _count(client) == 1
    assert _threads_counted(client) == 0
    _answer(cast, _start(cast, team, "Second"), 6)
    assert _threads_counted(client) == 1
    assert _count(client) == 2


def test_reading_lowers_the_count_on_the_next_request(cast, team):
    thread = _start(cast, team, "First")
    _answer(cast, thread, 5)
    client = client_for(cast.patient_user)
    assert _count(client) == 1
    assert client.get(f"/messages/{thread.pk}/").status_code == 200
    assert ThreadRead.objects.filter(thread=thread, user=cast.patient_user).count() == 1
    assert _count(client) == 0


def test_a_caregivers_count_follows_the_patients_conversations(cast, team):
    cora = cast.proxies.full_caregiver
    client = client_for(cora, acting_for=cast.patient)
    assert _count(client) == 0
    thread = _start(cast, team, "First")
    assert _count(client) == 1
    _answer(cast, thread, 5)
    assert client.get(f"/messages/{thread.pk}/").status_code == 200
    assert _count(client) == 0
    # Answered after her reading (half an hour after the stopped clock's now).
    _answer(cast, thread, 90)
    assert _count(client) == 1
    grant = cast.proxies.grants["full_caregiver"]
    revoke_grant(actor=cast.patient_user, grant=grant, reason=EndReason.REVOKED_BY_PATIENT)
    # Back in her own account, with no messages of her own: no count.
    assert _count(client) == 0


def test_opening_a_read_conversation_again_keeps_what_is_kept(cast, team):
    thread = _start(cast, team, "First")
    _answer(cast, thread, 5)
    client = client_for(cast.patient_user)
    key = User.objects.get(pk=cast.patient_user.pk).kept_key
    assert client.get(f"/messages/{thread.pk}/").status_code == 200
    # It held an answer not yet read: what is kept for Pat is worked out again.
    renewed = User.objects.get(pk=cast.patient_user.pk).kept_key
    assert renewed != key
    assert client.get(f"/messages/{thread.pk}/").status_code == 200
    assert User.objects.get(pk=cast.patient_user.pk).kept_key == renewed
    assert _count(client) == 0


def test_the_page_that_reads_a_conversation_counts_it_read(cast, team):
    thread = _start(cast, team, "First")
    _answer(cast, thread, 5)
    client = client_for(cast.patient_user)
    assert _count(client) == 1
    html = client.get(f"/messages/{thread.pk}/").content.decode()
    # The navigation on that very page already counts it read (the request's own renewal).
    nav = html.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.search(r">Messages</a>", nav) is not None
    assert "nav-count" not in nav


def test_many_accounts_are_renewed_in_batches(cast):
    users = [cast.patient_user.pk, cast.nurse.pk]
    before = dict(User.objects.filter(pk__in=users).values_list("pk", "kept_key"))
    forget_for([*users, *range(10_000_000, 10_000_000 + 2 * RENEW_BATCH)])
    after = dict(User.objects.filter(pk__in=users).values_list("pk", "kept_key"))
    assert after[users[0]] == after[users[1]] != before[users[0]]
