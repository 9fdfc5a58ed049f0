"""Drafts: kept unsent by their writer, for a new conversation or a reply, with their files;
seen by nobody else (not the patient a caregiver writes for, never the clinic); sent once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from carebridge.audit.models import AuditEvent
from carebridge.messaging import drafts
from carebridge.messaging.models import Attachment, CareTeam, Message, Thread, ThreadStatus
from carebridge.messaging.tests.conftest import NOW
from carebridge.messaging.tests.test_pages import compose_data, png, staff_reply, stored, upload
from carebridge.messaging.tests.test_pages import write as write_thread
from carebridge.testing.clients import client_for, flashed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

NEW = "/messages/new/"


def save_new(client: Any, team: CareTeam, **changes: Any) -> Message:
    response = client.post(NEW, compose_data(team, action="draft") | changes)
    draft = Message.objects.drafts().get()
    assert response.status_code == 302
    assert response["Location"] == f"/messages/drafts/{draft.pk}/"
    assert flashed(response)[-1] == "Your draft is saved. It is not sent yet."
    return draft


# A new conversation


def test_a_draft_needs_no_words_and_reaches_nobody(cast, team, folder):
    client = client_for(cast.patient_user)
    draft = save_new(client, team, body="", attachments=[upload("arm.png", png())])
    thread = draft.thread
    assert thread.last_message_at is None
    assert thread.subject == "Rash"
    assert draft.body == ""
    assert draft.sent_at is None
    assert [a.original_name for a in draft.attachments.all()] == ["arm.png"]
    assert len(stored(folder)) == 1
    assert mail.outbox == []
    event = AuditEvent.objects.filter(object_type="message_draft").get()
    assert (event.action, event.object_id) == ("create", str(draft.pk))
    # The clinic's inbox does not list it and cannot open it.
    nurse = client_for(cast.nurse)
    assert "Rash" not in nurse.get("/staff/inbox/").content.decode()
    assert nurse.get(f"/staff/inbox/threads/{thread.pk}/").status_code == 404
    # Nor is it a conversation of the patient's yet.
    assert client.get(f"/messages/{thread.pk}/").status_code == 404


def test_the_draft_is_listed_and_opens_in_the_writing_form(cast, team):
    client = client_for(cast.patient_user)
    draft = save_new(client, team, subject="Question about my pills", body="Do I take them")
    listing = client.get("/messages/").content.decode()
    assert "Drafts (not sent yet)" in listing
    assert f'href="/messages/drafts/{draft.pk}/"' in listing
    assert "There are no messages yet." in listing
    page = client.get(f"/messages/drafts/{draft.pk}/").content.decode()
    assert "<h1>Your draft</h1>" in page
    assert 'value="Question about my pills"' in page
    assert ">\nDo I take them</textarea>" in page
    assert "Delete this draft" in page


def test_a_draft_is_changed_then_sent_with_its_kept_and_new_files(
    cast, team, folder, django_capture_on_commit_callbacks
):
    client = client_for(cast.patient_user)
    draft = save_new(client, team, attachments=[upload("a.png", png()), upload("b.png", png())])
    kept, dropped = draft.attachments.order_by("original_name")
    url = f"/messages/drafts/{draft.pk}/"
    data = compose_data(team, subject="Rash, again", body="It spread.", action="send")
    data |= {"remove": [str(dropped.pk)], "attachments": [upload("c.png", png())]}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{thread.pk}/"
    assert flashed(response)[-1] == "Your message is sent."
    assert thread.last_message_at == NOW
    assert thread.subject == "Rash, again"
    (message,) = Message.objects.all()
    assert message.pk == draft.pk
    assert (message.body, message.sent_at) == ("It spread.", NOW)
    names = sorted(message.attachments.values_list("original_name", flat=True))
    assert names == ["a.png", "c.png"]
    assert not Attachment.objects.filter(pk=dropped.pk).exists()
    assert len(stored(folder)) == 2
    assert kept.stored_name in stored(folder)
    # The team hears of it now, and only now.
    assert [m.to for m in mail.outbox] == [[cast.nurse.email]]
    created = AuditEvent.objects.filter(object_type="message_thread").get()
    assert (created.action, created.object_id) == ("create", str(thread.pk))


def test_sending_a_draft_still_needs_a_subject_and_words(cast, team):
    client = client_for(cast.patient_user)
    draft = save_new(client, team, subject="", body="Some words")
    data = compose_data(team, subject="", body="", action="send")
    response = client.post(f"/messages/drafts/{draft.pk}/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give your message a subject." in html
    assert "Write your message." in html
    assert Thread.objects.sent().count() == 0


def test_an_empty_draft_is_refused(cast, team, folder):
    response = client_for(cast.patient_user).post(
        NEW, compose_data(team, subject="", body="", action="draft")
    )
    assert response.status_code == 200
    assert "Write something before saving a draft." in response.content.decode()
    assert not Thread.objects.exists()
    assert stored(folder) == []


def test_a_refused_file_leaves_the_draft_as_it_was(cast, team, folder):
    client = client_for(cast.patient_user)
    draft = save_new(client, team, body="First words")
    data = compose_data(team, body="Other words", action="draft")
    data["attachments"] = [upload("page.pdf", b"<html><script>alert(1)</script></html>")]
    response = client.post(f"/messages/drafts/{draft.pk}/", data)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.body == "First words"
    assert not Attachment.objects.exists()
    assert stored(folder) == []


def test_six_files_with_the_kept_ones_are_refused(cast, team, settings):
    settings.CAREBRIDGE_ATTACHMENTS_PER_MESSAGE = 2
    client = client_for(cast.patient_user)
    draft = save_new(client, team, attachments=[upload("a.png", png()), upload("b.png", png())])
    data = compose_data(team, action="draft", attachments=[upload("c.png", png())])
    response = client.post(f"/messages/drafts/{draft.pk}/", data)
    assert response.status_code == 200
    assert "You can attach up to 2 files to one message." in response.content.decode()
    assert draft.attachments.count() == 2


def test_deleting_a_draft_removes_it_its_thread_and_files(
    cast, team, folder, django_capture_on_commit_callbacks
):
    client = client_for(cast.patient_user)
    draft = save_new(client, team, attachments=[upload("a.png", png())])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/messages/drafts/{draft.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/messages/"
    assert flashed(response)[-1] == "Your draft is deleted."
    assert not Thread.objects.exists()
    assert not Message.objects.exists()
    assert stored(folder) == []
    actions = list(
        AuditEvent.objects.filter(object_type="message_draft")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    # Saved, opened for deleting (every access is audited), deleted.
    assert actions == ["create", "view", "delete"]


# Who sees a draft


def test_only_the_writer_sees_a_draft(cast, team):
    cora = cast.proxies.full_caregiver
    coras = client_for(cora, acting_for=cast.patient)
    draft = save_new(coras, team, subject="For Pat's knee")
    assert draft.author == cora
    assert draft.author_as == "proxy"
    assert "For Pat&#x27;s knee" in coras.get("/messages/").content.decode()
    pat = client_for(cast.patient_user)
    assert "For Pat" not in pat.get("/messages/").content.decode()
    assert pat.get(f"/messages/drafts/{draft.pk}/").status_code == 404
    assert pat.post(f"/messages/drafts/{draft.pk}/delete/").status_code == 404
    sam = client_for(cast.second_patient_user)
    assert sam.get(f"/messages/drafts/{draft.pk}/").status_code == 404
    assert client_for(cast.nurse).get(f"/messages/drafts/{draft.pk}/").status_code == 404
    assert Message.objects.drafts().count() == 1


def test_a_draft_cannot_be_sent_by_someone_else_or_twice(
    cast, team, django_capture_on_commit_callbacks
):
    draft = save_new(client_for(cast.patient_user), team)
    with pytest.raises(PermissionDenied):
        drafts.send_draft(actor=cast.second_patient_user, acting_as="self", draft=draft, now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        drafts.send_draft(actor=cast.patient_user, acting_as="self", draft=draft, now=NOW)
    with pytest.raises(ValidationError, match=r"This draft has already been sent\."):
        drafts.send_draft(actor=cast.patient_user, acting_as="self", draft=draft, now=NOW)
    assert len(mail.outbox) == 1


def test_one_draft_per_writer_per_thread_in_the_database(cast, team):
    thread = write_thread(cast, team)
    Message.objects.create(thread=thread, author=cast.patient_user, author_as="self", body="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.create(thread=thread, author=cast.patient_user, author_as="self", body="b")


# A reply


def test_a_reply_draft_is_kept_on_the_conversation_and_sent_from_it(
    cast, team, django_capture_on_commit_callbacks
):
    thread = write_thread(cast, team)
    Thread.objects.filter(pk=thread.pk).update(status=ThreadStatus.WAITING_ON_PATIENT)
    client = client_for(cast.patient_user)
    url = f"/messages/{thread.pk}/reply/"
    response = client.post(url, {"body": "Half a thought", "action": "draft"})
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{thread.pk}/#reply-heading"
    draft = Message.objects.drafts().get()
    # Saving again changes the same draft.
    client.post(url, {"body": "A whole thought", "action": "draft"})
    assert Message.objects.drafts().get().pk == draft.pk
    page = client.get(f"/messages/{thread.pk}/").content.decode()
    assert "Your draft reply is below. It is not sent yet." in page
    assert ">\nA whole thought</textarea>" in page
    assert page.count("A whole thought") == 1
    listing = client.get("/messages/").content.decode()
    assert "Reply: Rash on my arm" in listing
    assert client.get(f"/messages/drafts/{draft.pk}/")["Location"] == (
        f"/messages/{thread.pk}/#reply-heading"
    )
    # The clinic sees the first message only.
    staff_page = client_for(cast.nurse).get(f"/staff/inbox/threads/{thread.pk}/")
    assert "A whole thought" not in staff_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"body": "A whole thought, sent", "action": "send"})
    assert response.status_code == 302
    assert Message.objects.drafts().count() == 0
    sent = Message.objects.get(pk=draft.pk)
    assert (sent.body, sent.sent_at) == ("A whole thought, sent", NOW)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEW
    assert len(mail.outbox) == 1


def test_deleting_a_reply_draft_keeps_the_conversation(cast, team):
    thread = write_thread(cast, team)
    client = client_for(cast.patient_user)
    client.post(f"/messages/{thread.pk}/reply/", {"body": "Never mind", "action": "draft"})
    draft = Message.objects.drafts().get()
    response = client.post(f"/messages/drafts/{draft.pk}/delete/")
    assert response["Location"] == f"/messages/{thread.pk}/"
    assert Thread.objects.filter(pk=thread.pk).exists()
    assert Message.objects.count() == 1


def test_a_staff_reply_leaves_the_patients_draft_alone(cast, team):
    thread = write_thread(cast, team)
    client = client_for(cast.patient_user)
    client.post(f"/messages/{thread.pk}/reply/", {"body": "Draft words", "action": "draft"})
    staff_reply(cast, thread, "Please send a photo.")
    page = client.get(f"/messages/{thread.pk}/").content.decode()
    assert "Please send a photo." in page
    assert ">\nDraft words</textarea>" in page
