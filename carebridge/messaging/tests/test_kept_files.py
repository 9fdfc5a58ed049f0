"""A file chosen on a writing form that comes back with an error is kept with the writer's
draft (shown as attached, sent with the message), and deleted with the draft if it is never
sent: no orphan files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from carebridge.messaging import services
from carebridge.messaging.models import Attachment, Message, Thread, Topic
from carebridge.messaging.tests.conftest import NOW
from carebridge.testing.clients import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

NEW = "/messages/new/"
KEPT_NOTE = (
    "Your files are kept with a draft of this message, so you do not need to choose them "
    "again. Correct the form, then send it."
)


def _photo(name: str = "photo.png") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (255, 0, 0)).save(out, format="PNG")
    out.seek(0)
    out.name = name
    return out


def _stored(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _words(response: Any) -> str:
    return " ".join(response.content.decode().split())


def _compose(**changes: Any) -> dict[str, Any]:
    data = {"practitioner": "", "topic": Topic.OTHER, "subject": "Rash", "body": "It itches."}
    return data | changes


def test_a_file_is_kept_when_the_new_message_has_an_error_and_sent_after(cast, team, folder):
    client = client_for(cast.patient_user)
    response = client.post(NEW, _compose(subject="", attachments=[_photo()]))
    assert response.status_code == 200
    words = _words(response)
    assert "Give your message a subject." in words
    assert KEPT_NOTE in words
    assert "photo.png is attached. Tick to remove it." in words
    draft = Message.objects.get()
    assert (draft.is_draft, draft.body, draft.thread.is_sent) == (True, "It itches.", False)
    (kept,) = draft.attachments.all()
    assert kept.original_name == "photo.png"
    assert _stored(folder) == [kept.stored_name]
    assert f'action="/messages/drafts/{draft.pk}/"' in words
    # The writer corrects the form and sends it, choosing no file again.
    response = client.post(f"/messages/drafts/{draft.pk}/", _compose(subject="Rash"))
    assert response.status_code == 302
    thread = Thread.objects.get()
    sent = Message.objects.get()
    assert (thread.is_sent, thread.subject, sent.is_draft) == (True, "Rash", False)
    assert [a.original_name for a in sent.attachments.all()] == ["photo.png"]


def test_nothing_is_kept_when_the_topic_is_missing(cast, team, folder):
    response = client_for(cast.patient_user).post(NEW, _compose(topic="", attachments=[_photo()]))
    assert response.status_code == 200
    assert KEPT_NOTE not in _words(response)
    assert (Message.objects.count(), Attachment.objects.count(), _stored(folder)) == (0, 0, [])


def test_an_abandoned_kept_file_goes_with_its_draft(
    cast, team, folder, django_capture_on_commit_callbacks
):
    client = client_for(cast.patient_user)
    client.post(NEW, _compose(body="", attachments=[_photo()]))
    draft = Message.objects.get()
    assert len(_stored(folder)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/messages/drafts/{draft.pk}/delete/")
    assert response.status_code == 302
    assert (Message.objects.count(), Attachment.objects.count(), _stored(folder)) == (0, 0, [])


def test_a_file_is_kept_when_a_reply_has_an_error(cast, team, folder):
    thread = services.start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject="Rash",
        body="It itches.",
        now=NOW,
    )
    client = client_for(cast.patient_user)
    response = client.post(
        f"/messages/{thread.pk}/reply/", {"body": "", "attachments": [_photo("arm.png")]}
    )
    assert response.status_code == 200
    words = _words(response)
    assert "Write your message." in words
    assert "arm.png is attached. Tick to remove it." in words
    draft = Message.objects.drafts().get()
    assert [a.original_name for a in draft.attachments.all()] == ["arm.png"]
