"""A form posted twice (a double click, a reload after a slow answer) sends one message: each
sending form carries a one-time key, and the same key again is the same message, with no second
e-mail and no second copy of its files. A key is only ever its own writer's."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core import mail

from carebridge.audit.models import AuditEvent
from carebridge.messaging.models import CareTeam, Message, Thread
from carebridge.messaging.services import reply, start_thread
from carebridge.messaging.tests.conftest import NOW
from carebridge.messaging.tests.test_pages import compose_data, png, stored, upload, write
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.concurrency import at_the_same_moment, postgres_race

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

NEW = "/messages/new/"
POSTS = 5
KEY = re.compile(r'name="submission" value="([0-9a-f-]{36})"')


def key_on(html: str) -> str:
    (found,) = KEY.findall(html)
    return found


def test_each_showing_of_the_form_has_a_new_key(cast, team):
    client = client_for(cast.patient_user)
    first = key_on(client.get(NEW).content.decode())
    second = key_on(client.get(NEW).content.decode())
    assert first != second
    assert uuid.UUID(first).version == 4


def test_posting_the_same_new_message_twice_sends_it_once(
    cast, team, folder, django_capture_on_commit_callbacks
):
    client = client_for(cast.patient_user)
    key = key_on(client.get(NEW).content.decode())
    locations = []
    for _ in range(2):
        data = compose_data(team, submission=key, attachments=[upload("arm.png", png())])
        with django_capture_on_commit_callbacks(execute=True):
            locations.append(client.post(NEW, data)["Location"])
    thread = Thread.objects.get()
    assert locations == [f"/messages/{thread.pk}/"] * 2
    assert Message.objects.count() == 1
    assert Message.objects.get().submission == uuid.UUID(key)
    assert len(stored(folder)) == 1
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(object_type="message_thread", action="create").count() == 1


def test_posting_the_same_reply_twice_adds_it_once(cast, team, folder):
    thread = write(cast, team)
    client = client_for(cast.patient_user)
    key = key_on(client.get(f"/messages/{thread.pk}/").content.decode())
    for _ in range(2):
        response = client.post(
            f"/messages/{thread.pk}/reply/",
            {"body": "One more thing", "submission": key, "attachments": [upload("a.png", png())]},
        )
        assert response["Location"] == f"/messages/{thread.pk}/"
    assert list(Message.objects.filter(thread=thread).values_list("body", flat=True)) == [
        "It started on Monday.",
        "One more thing",
    ]
    assert len(stored(folder)) == 1


def test_sending_a_reply_draft_twice_sends_it_once(cast, team):
    thread = write(cast, team)
    client = client_for(cast.patient_user)
    client.post(f"/messages/{thread.pk}/reply/", {"body": "Draft words", "action": "draft"})
    key = key_on(client.get(f"/messages/{thread.pk}/").content.decode())
    for _ in range(2):
        client.post(
            f"/messages/{thread.pk}/reply/",
            {"body": "Draft words, sent", "action": "send", "submission": key},
        )
    bodies = list(Message.objects.filter(thread=thread).values_list("body", "sent_at"))
    assert [body for body, _sent in bodies] == ["It started on Monday.", "Draft words, sent"]
    assert all(sent is not None for _body, sent in bodies)


def test_a_staff_reply_posted_twice_is_sent_once(cast, team):
    thread = write(cast, team)
    nurse = client_for(cast.nurse)
    url = f"/staff/inbox/threads/{thread.pk}/"
    key = key_on(nurse.get(url).content.decode().split('name="action" value="reply"')[1])
    for _ in range(2):
        nurse.post(url, {"action": "reply", "body": "Please come in.", "submission": key})
    assert Message.objects.filter(thread=thread, author=cast.nurse).count() == 1


def test_someone_elses_key_is_not_their_message(cast, team):
    thread = write(cast, team)
    staff_message = reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=thread,
        body="Answer",
        now=thread.last_message_at,
        submission=uuid.uuid4(),
    )
    response = client_for(cast.patient_user).post(
        f"/messages/{thread.pk}/reply/",
        {"body": "Mine", "submission": str(staff_message.submission)},
    )
    assert response.status_code == 200
    assert "This form was already used. Please write your message again." in (
        response.content.decode()
    )
    assert Message.objects.filter(thread=thread).count() == 2


def post_reply(arguments: dict[str, Any]) -> Any:
    return reply(**arguments)


@postgres_race("Posts at the same moment")
def test_five_posts_of_one_form_at_the_same_moment_add_one_message() -> None:
    clinic = factories.make_clinic()
    user = factories.make_user()
    patient = factories.make_patient(clinic, user=user)
    team = CareTeam.objects.create(clinic=clinic, name="Family medicine")
    thread = start_thread(
        actor=user,
        acting_as="self",
        patient=patient,
        team=team,
        topic="other",
        subject="Question",
        body="First",
        now=NOW,
    )
    key = uuid.uuid4()
    arguments = {
        "actor": user,
        "acting_as": "self",
        "thread": thread,
        "body": "Second",
        "now": NOW,
        "submission": key,
    }
    outcomes = at_the_same_moment(post_reply, [(arguments,)] * POSTS)
    second = Message.objects.get(thread=thread, body="Second")
    assert outcomes == [second] * POSTS
    assert second.submission == key
    assert Message.objects.filter(thread=thread).count() == 2


def test_a_second_click_on_sending_a_draft_leads_to_the_sent_conversation(cast, team):
    client = client_for(cast.patient_user)
    client.post(NEW, compose_data(team, action="draft"))
    draft = Message.objects.drafts().get()
    url = f"/messages/drafts/{draft.pk}/"
    key = key_on(client.get(url).content.decode())
    data = compose_data(team, action="send", submission=key)
    assert client.post(url, data)["Location"] == f"/messages/{draft.thread_id}/"
    again = client.post(url, data)
    assert again.status_code == 302
    assert again["Location"] == f"/messages/{draft.thread_id}/"
    assert flashed(again)[-1] == "This message has been sent."
    assert Message.objects.get().sent_at == NOW
    # Someone else still finds nothing there.
    assert client_for(cast.second_patient_user).get(url).status_code == 404
