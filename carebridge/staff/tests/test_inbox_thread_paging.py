"""A long conversation in the staff inbox: the newest 20 messages and notes, an "Earlier
messages" link to the 20 before them, a bad page number showing the newest, what a page shows
being what is marked read, every page audited, and the same queries for 3 messages as for
150."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.messaging.models import Message, Thread, ThreadRead, WrittenAs
from carebridge.staff.tests.inbox_setup import (  # noqa: F401
    NOW,
    Inbox,
    frozen_clock,
    make_inbox,
    private_folder,
)
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)
STARTED = NOW - datetime.timedelta(days=1)
# The page's queries for the nurse: the session and the viewer (the staff membership and the
# two-step check are kept), the thread, the page of messages and their files, marking them read
# (an earlier page writes its own two), the thread's audit, the forms' team members and other
# teams, the record beside it (medicines, allergies, results) with their audits, and the
# console's counts.
QUERIES = 22
EARLIER_QUERIES = 21


@pytest.fixture
def inbox(cast: Cast) -> Inbox:
    return make_inbox(cast)


def conversation(inbox: Inbox, count: int) -> Thread:
    """Pat's conversation of `count` messages: "Message 0" (hers), then the nurse's and hers in
    turn, a minute apart, every fifth of the nurse's an internal note."""
    thread = inbox.write(body="Message 0", now=STARTED)
    add_messages(inbox.cast, thread, range(1, count))
    return thread


def add_messages(cast: Cast, thread: Thread, numbers: range) -> None:
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=cast.nurse if k % 2 else cast.patient_user,
            author_as=WrittenAs.STAFF if k % 2 else WrittenAs.SELF,
            is_internal=k % 10 == 5,
            body=f"Message {k}",
            sent_at=STARTED + k * MINUTE,
        )
        for k in numbers
    )
    Thread.objects.filter(pk=thread.pk).update(last_message_at=STARTED + numbers[-1] * MINUTE)


def url(thread: Thread) -> str:
    return reverse("staff:inbox-thread", args=[thread.pk])


def bodies(response: Any) -> list[str]:
    section = response.content.decode().split('id="messages-heading"', 1)[1]
    section = section.split("</section>", 1)[0]
    found = re.findall(r"<p>(Message \d+)</p>", section)
    return [html.unescape(body) for body in found]


def named(*numbers: int) -> list[str]:
    return [f"Message {k}" for k in numbers]


def test_the_newest_twenty_notes_included_with_an_earlier_link(cast: Cast, inbox: Inbox) -> None:
    thread = conversation(inbox, 150)
    response = client_for(cast.nurse).get(url(thread))
    assert bodies(response) == named(*range(130, 150))
    page = response.content.decode()
    assert page.count("Internal note — the patient does not see this") == 2
    assert '<a href="?page=2#messages-heading" rel="next">Earlier messages</a>' in page
    assert "Later messages" not in page


def test_earlier_pages_go_back_twenty_at_a_time(cast: Cast, inbox: Inbox) -> None:
    thread = conversation(inbox, 150)
    client = client_for(cast.nurse)
    second = client.get(url(thread), {"page": "2"})
    assert bodies(second) == named(*range(110, 130))
    assert f'<a href="{url(thread)}#messages-heading" rel="prev">Later messages</a>' in (
        second.content.decode()
    )
    last = client.get(url(thread), {"page": "8"})
    assert bodies(last) == named(*range(10))
    assert "Earlier messages" not in last.content.decode()


@pytest.mark.parametrize("value", ["", "0", "-1", "x", "2.0", "\u0662", "1001", "9"])
def test_a_bad_page_number_shows_the_newest(cast: Cast, inbox: Inbox, value: str) -> None:
    thread = conversation(inbox, 150)
    response = client_for(cast.nurse).get(url(thread), {"page": value})
    assert response.status_code == 200
    assert bodies(response) == named(*range(130, 150))


def test_an_earlier_page_marks_read_only_what_it_shows_and_is_audited(
    cast: Cast, inbox: Inbox
) -> None:
    thread = conversation(inbox, 45)
    client = client_for(cast.nurse)
    views = AuditEvent.objects.filter(object_type="message_thread", action="view")
    before = views.count()
    client.get(url(thread), {"page": "2"})
    reading = ThreadRead.objects.get(thread=thread, user=cast.nurse)
    assert reading.read_at == STARTED + 24 * MINUTE
    client.get(url(thread))
    client.get(url(thread), {"page": "3"})
    reading.refresh_from_db()
    assert reading.read_at == NOW
    assert (
        list(views.order_by("pk").values_list("object_id", "acting_as")[before:])
        == [(str(thread.pk), "staff")] * 3
    )


@pytest.mark.parametrize(("few", "params"), [(3, {}), (25, {"page": "2"})])
def test_a_page_costs_the_same_queries_for_few_messages_as_for_150(
    cast: Cast,
    inbox: Inbox,
    django_assert_num_queries: Any,
    few: int,
    params: dict[str, str],
) -> None:
    thread = conversation(inbox, few)
    client: Client = client_for(cast.nurse)
    # The session's first request saves it, and reading the unread messages renews what is
    # kept for the nurse: measure once neither happens any more.
    client.get(url(thread), params)
    client.get(url(thread), params)
    queries = EARLIER_QUERIES if params else QUERIES
    with django_assert_num_queries(queries):
        assert client.get(url(thread), params).status_code == 200
    add_messages(cast, thread, range(few, 150))
    # The newest page marks the new messages read (renewing what is kept for the nurse):
    # measure the request after, as the first measure was.
    client.get(url(thread), params)
    with django_assert_num_queries(queries):
        assert client.get(url(thread), params).status_code == 200
    assert len(bodies(client.get(url(thread), params))) == 20
