"""A full disk while saving attachments: the same form again with what was typed and a plain
error at the top, no conversation, message, draft or attachment row, and no file left behind.
Pat writes and replies, and keeps a draft; the nurse replies from the console."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from carebridge.audit.models import AuditEvent
from carebridge.messaging import services
from carebridge.messaging.models import Attachment, CareTeam, Message, Thread, Topic
from carebridge.messaging.tests.conftest import NOW
from carebridge.testing.clients import client_for
from carebridge.testing.disk import WRITE_REFUSAL, disk_full_after

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

NEW = "/messages/new/"


def png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (255, 0, 0)).save(out, format="PNG")
    out.seek(0)
    return out


def upload(name: str) -> io.BytesIO:
    handle = png()
    handle.name = name
    return handle


def compose(team: CareTeam, **changes: Any) -> dict[str, Any]:
    return {
        "team": str(team.pk),
        "practitioner": "",
        "topic": Topic.OTHER,
        "subject": "Rash on my arm",
        "body": "It started on Monday.",
        "attachments": [upload("arm.png"), upload("leg.png")],
    } | changes


def left_in(folder: Path) -> list[Path]:
    return list(folder.rglob("*")) if folder.exists() else []


def counts() -> tuple[int, int, int, int]:
    return (
        Thread.objects.count(),
        Message.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_new_message_is_not_sent_and_keeps_what_was_typed(cast, team, folder):
    client = client_for(cast.patient_user)
    before = counts()
    with disk_full_after(files=1) as created:
        response = client.post(NEW, compose(team))
    html = response.content.decode()
    assert response.status_code == 200
    assert WRITE_REFUSAL in html
    assert 'value="Rash on my arm"' in html
    assert "It started on Monday.</textarea>" in html
    assert len(created) == 2
    assert counts() == before
    assert left_in(folder) == []


def test_a_draft_is_not_saved_on_a_full_disk(cast, team, folder):
    client = client_for(cast.patient_user)
    before = counts()
    with disk_full_after(files=0):
        response = client.post(NEW, compose(team, action="draft"))
    assert response.status_code == 200
    assert WRITE_REFUSAL in response.content.decode()
    assert counts() == before
    assert left_in(folder) == []


def test_a_reply_is_not_sent_and_keeps_its_words(cast, team, folder):
    thread = services.start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject="Rash",
        body="It started on Monday.",
        now=NOW,
    )
    before = counts()
    with disk_full_after(files=0):
        response = client_for(cast.patient_user).post(
            f"/messages/{thread.pk}/reply/",
            {"body": "Here is the photo.", "attachments": [upload("arm.png")]},
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert WRITE_REFUSAL in html
    assert "Here is the photo.</textarea>" in html
    # Showing the conversation again is a view of it, audited as usual; nothing else changed.
    assert counts()[:3] == before[:3]
    assert left_in(folder) == []


def test_a_staff_reply_is_not_sent_on_a_full_disk(cast, team, folder):
    thread = services.start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject="Rash",
        body="It started on Monday.",
        now=NOW,
    )
    before = counts()
    url = reverse("staff:inbox-thread", args=[thread.pk])
    with disk_full_after(files=0):
        response = client_for(cast.nurse).post(
            url, {"action": "reply", "body": "Please send a photo.", "files": upload("a.png")}
        )
    html = response.content.decode()
    # The console answers every refused action with its form again and a 400.
    assert response.status_code == 400
    assert WRITE_REFUSAL in html
    assert "Please send a photo.</textarea>" in html
    assert counts()[:3] == before[:3]
    assert left_in(folder) == []
