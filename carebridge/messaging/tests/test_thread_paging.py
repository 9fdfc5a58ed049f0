"""A long conversation on the patient's side: the newest 20 messages, an "Earlier messages"
link to the 20 before them, a bad page number showing the newest, what a page shows being what
is marked read, every page audited, "Answered" and files as before, and the same queries for
3 messages as for 150."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

import pytest
from django.test import Client

from carebridge.audit.models import AuditEvent
from carebridge.messaging import services
from carebridge.messaging.models import CareTeam, Message, Thread, ThreadRead, Topic, WrittenAs
from carebridge.messaging.tests.conftest import NOW
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

MINUTE = datetime.timedelta(minutes=1)
# Pat wrote a day ago; every later message is a minute after the one before.
STARTED = NOW - datetime.timedelta(days=1)
# The page's queries on a request after the first: the session and the viewer (the acting
# patient and the navigation's count are kept), the thread and its audit, the reply draft, the
# page of messages and their files, marking them read (three: the reading, a conditional update
# that renews what is kept only when something was unread, the update; an earlier page writes
# two of its own), and "Answered".
QUERIES = 11
EARLIER_QUERIES = 10


def conversation(cast: Cast, team: CareTeam, count: int) -> Thread:
    """Pat's conversation of `count` messages: "Message 0" (hers), then the nurse's and hers
    in turn ("Message 1", the nurse's, ...)."""
    thread = services.start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject="My tablets",
        body="Message 0",
        now=STARTED,
    )
    add_messages(cast, thread, range(1, count))
    return thread


def add_messages(cast: Cast, thread: Thread, numbers: range, **fields: Any) -> None:
    """Messages numbered `numbers`, odd ones the nurse's, each at its number's minute."""
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=cast.nurse if k % 2 else cast.patient_user,
            author_as=WrittenAs.STAFF if k % 2 else WrittenAs.SELF,
            body=f"Message {k}",
            sent_at=STARTED + k * MINUTE,
            **fields,
        )
        for k in numbers
    )
    if not fields.get("is_internal"):
        Thread.objects.filter(pk=thread.pk).update(last_message_at=STARTED + numbers[-1] * MINUTE)


def bodies(response: Any) -> list[str]:
    found = re.findall(r'<div class="message-body">(.*?)</div>', response.content.decode(), re.S)
    return [html.unescape(body) for body in found]


def named(*numbers: int) -> list[str]:
    return [f"Message {k}" for k in numbers]


def url(thread: Thread) -> str:
    return f"/messages/{thread.pk}/"


def test_the_newest_twenty_are_shown_oldest_first_with_an_earlier_link(
    cast: Cast, team: CareTeam
) -> None:
    thread = conversation(cast, team, 150)
    response = client_for(cast.patient_user).get(url(thread))
    assert bodies(response) == named(*range(130, 150))
    page = response.content.decode()
    assert '<a href="?page=2#messages-heading" rel="next">Earlier messages</a>' in page
    assert "Later messages" not in page


def test_earlier_pages_go_back_twenty_at_a_time_to_the_first_message(
    cast: Cast, team: CareTeam
) -> None:
    thread = conversation(cast, team, 150)
    client = client_for(cast.patient_user)
    second = client.get(url(thread), {"page": "2"})
    assert bodies(second) == named(*range(110, 130))
    assert f'<a href="{url(thread)}#messages-heading" rel="prev">Later messages</a>' in (
        second.content.decode()
    )
    last = client.get(url(thread), {"page": "8"})
    assert bodies(last) == named(*range(10))
    assert '<a href="?page=7#messages-heading" rel="prev">Later messages</a>' in (
        last.content.decode()
    )
    assert "Earlier messages" not in last.content.decode()


def test_a_short_conversation_has_no_page_links(cast: Cast, team: CareTeam) -> None:
    thread = conversation(cast, team, 20)
    response = client_for(cast.patient_user).get(url(thread))
    assert bodies(response) == named(*range(20))
    assert 'class="section-pages"' not in response.content.decode()


@pytest.mark.parametrize("value", ["", "0", "-2", "1.5", "two", "\u0663", "1001", "9"])
def test_a_bad_page_number_shows_the_newest(cast: Cast, team: CareTeam, value: str) -> None:
    # Page 9 is past the first message (eight pages) and counts as bad.
    thread = conversation(cast, team, 150)
    response = client_for(cast.patient_user).get(url(thread), {"page": value})
    assert response.status_code == 200
    assert bodies(response) == named(*range(130, 150))


def test_staff_notes_are_never_shown_nor_counted_in_a_page(cast: Cast, team: CareTeam) -> None:
    thread = conversation(cast, team, 30)
    add_messages(cast, thread, range(1001, 1011, 2), is_internal=True)
    client = client_for(cast.patient_user)
    assert bodies(client.get(url(thread))) == named(*range(10, 30))
    assert bodies(client.get(url(thread), {"page": "2"})) == named(*range(10))


def read_at(cast: Cast, thread: Thread) -> datetime.datetime:
    return ThreadRead.objects.get(thread=thread, user=cast.patient_user).read_at


def test_an_earlier_page_marks_read_only_what_it_shows(cast: Cast, team: CareTeam) -> None:
    thread = conversation(cast, team, 45)
    client = client_for(cast.patient_user)
    client.get(url(thread), {"page": "2"})
    # Messages 5 to 24 shown: read up to message 24; 25 to 44 are still unread.
    assert read_at(cast, thread) == STARTED + 24 * MINUTE
    assert Thread.objects.unread_by(cast.patient_user.pk).get() == thread
    client.get(url(thread))
    assert read_at(cast, thread) == NOW
    assert not Thread.objects.unread_by(cast.patient_user.pk).exists()
    # Looking back again never makes the newest unread.
    client.get(url(thread), {"page": "3"})
    assert read_at(cast, thread) == NOW


def test_every_page_is_audited_as_a_view_of_the_conversation(cast: Cast, team: CareTeam) -> None:
    thread = conversation(cast, team, 45)
    client = client_for(cast.patient_user)
    views = AuditEvent.objects.filter(object_type="message_thread", action="view")
    before = views.count()
    client.get(url(thread))
    client.get(url(thread), {"page": "2"})
    client.get(url(thread), {"page": "bad"})
    assert (
        list(views.order_by("pk").values_list("object_id", "acting_as")[before:])
        == [(str(thread.pk), "self")] * 3
    )


def test_answered_is_about_the_whole_conversation_not_the_page(cast: Cast, team: CareTeam) -> None:
    thread = conversation(cast, team, 2)
    # Thirty of the nurse's replies: the newest page holds none of Pat's messages.
    Message.objects.bulk_create(
        Message(
            thread=thread,
            author=cast.nurse,
            author_as=WrittenAs.STAFF,
            body=f"Reply {k}",
            sent_at=STARTED + (10 + k) * MINUTE,
        )
        for k in range(30)
    )
    client = client_for(cast.patient_user)
    assert "<dd>Answered</dd>" in client.get(url(thread)).content.decode()
    services.reply(actor=cast.patient_user, acting_as="self", thread=thread, body="Thanks", now=NOW)
    assert "<dd>Answered</dd>" not in client.get(url(thread)).content.decode()


def test_files_are_listed_on_the_page_of_their_message(cast: Cast, team: CareTeam) -> None:
    thread = conversation(cast, team, 25)
    client = client_for(cast.patient_user)
    services.reply(
        actor=cast.patient_user,
        acting_as="self",
        thread=thread,
        body="Photo attached",
        files=[("rash.png", _png())],
        now=NOW,
    )
    newest = client.get(url(thread)).content.decode()
    attachment = thread.messages.get(body="Photo attached").attachments.get()
    assert f'<a href="/messages/{thread.pk}/attachments/{attachment.pk}/">rash.png</a>' in newest
    assert "rash.png" not in client.get(url(thread), {"page": "2"}).content.decode()


def _png() -> bytes:
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (4, 4), (255, 0, 0)).save(data, "PNG")
    return data.getvalue()


def queries_of(client: Client, path: str, params: dict[str, str], assert_num: Any) -> None:
    with assert_num(EARLIER_QUERIES if params else QUERIES):
        assert client.get(path, params).status_code == 200


@pytest.mark.parametrize(("few", "params"), [(3, {}), (25, {"page": "2"})])
def test_a_page_costs_the_same_queries_for_few_messages_as_for_150(
    cast: Cast,
    team: CareTeam,
    django_assert_num_queries: Any,
    few: int,
    params: dict[str, str],
) -> None:
    thread = conversation(cast, team, few)
    client = client_for(cast.patient_user)
    # The session's first request saves it, and reading the unread answers renews what is kept
    # for Pat: measure once neither happens any more.
    client.get(url(thread), params)
    client.get(url(thread), params)
    queries_of(client, url(thread), params, django_assert_num_queries)
    add_messages(cast, thread, range(few, 150))
    # The new messages renewed what is kept for Pat (and the newest page marks them read,
    # renewing it again): measure the request after, as the first measure was.
    client.get(url(thread), params)
    client.get(url(thread), params)
    queries_of(client, url(thread), params, django_assert_num_queries)
    assert len(bodies(client.get(url(thread), params))) == 20
