"""Writing to the care team and answering: who may, which team, the words and files checked
before anything is saved, the audit, and e-mails that say only that there is something new."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import StaffMember
from carebridge.messaging import services
from carebridge.messaging.attachments import AttachmentError
from carebridge.messaging.models import (
    Attachment,
    CareTeam,
    Message,
    Thread,
    ThreadRead,
    ThreadStatus,
    Topic,
)
from carebridge.messaging.services import mark_read, reply, start_thread
from carebridge.testing import factories
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
SUBJECT = "Rash on my arm"
BODY = "It started on Monday and itches at night."


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.CAREBRIDGE_BASE_URL = "https://portal.example.org"
    return settings.CAREBRIDGE_ATTACHMENT_DIR


@pytest.fixture
def team(cast) -> CareTeam:
    team = CareTeam.objects.create(clinic=cast.clinic, name="Family medicine")
    team.members.add(StaffMember.objects.get(user=cast.nurse))
    return team


def write(cast, team, **changes: Any) -> Thread:
    arguments: dict[str, Any] = {
        "actor": cast.patient_user,
        "acting_as": "self",
        "patient": cast.patient,
        "team": team,
        "topic": Topic.OTHER,
        "subject": SUBJECT,
        "body": BODY,
        "now": NOW,
    }
    return start_thread(**(arguments | changes))


def stored_files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_pat_writes_with_a_photo(cast, team, private_folder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        thread = write(cast, team, files=[("arm.png", png())])
    (message,) = thread.messages.all()
    (attachment,) = Attachment.objects.all()
    assert (thread.subject, thread.status, thread.created_as, thread.last_message_at) == (
        SUBJECT,
        ThreadStatus.NEW,
        "self",
        NOW,
    )
    assert (message.body, message.author, message.sent_at, message.is_internal) == (
        BODY,
        cast.patient_user,
        NOW,
        False,
    )
    assert (attachment.message, attachment.original_name, attachment.content_type) == (
        message,
        "arm.png",
        "image/png",
    )
    assert stored_files(private_folder) == [attachment.stored_name]
    assert (private_folder / attachment.stored_name).stat().st_size == attachment.size
    events = AuditEvent.objects.filter(object_type="message_thread")
    assert [(e.actor, e.action, e.acting_as, e.object_id) for e in events] == [
        (cast.patient_user, "create", "self", str(thread.pk))
    ]
    assert [(m.subject, m.to, m.body) for m in mail.outbox] == [
        (
            "[Carebridge] New message in a team inbox",
            [cast.nurse.email],
            "A patient has written to one of your team inboxes.\n\nSign in to read it:\n\n"
            "https://portal.example.org/account/login/\n",
        )
    ]
    assert "Rash" not in mail.outbox[0].body
    assert not mentions(mail.outbox[0].body, "Pat")


def test_a_refused_file_leaves_nothing_of_the_message(cast, team, private_folder):
    files = [("arm.png", png()), ("notes.pdf", b"<html><script>alert(1)</script></html>")]
    with pytest.raises(AttachmentError) as refused:
        write(cast, team, files=files)
    assert refused.value.messages == [
        "“notes.pdf” is not a PDF, JPEG or PNG file. Only these kinds can be attached."
    ]
    assert (Thread.objects.count(), Message.objects.count(), Attachment.objects.count()) == (
        0,
        0,
        0,
    )
    assert stored_files(private_folder) == []
    assert AuditEvent.objects.filter(object_type="message_thread").count() == 0


def test_at_most_five_files(cast, team, private_folder):
    with pytest.raises(AttachmentError) as refused:
        write(cast, team, files=[(f"{n}.png", png()) for n in range(6)])
    assert refused.value.messages == ["You can attach up to 5 files to one message."]
    assert Thread.objects.count() == 0


def test_a_failure_after_the_files_are_written_removes_them(
    cast, team, private_folder, monkeypatch
):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        write(cast, team, files=[("arm.png", png())])
    assert stored_files(private_folder) == []
    assert Thread.objects.count() == 0


def test_only_the_patients_own_active_teams_and_their_clinicians(cast, team):
    other = CareTeam.objects.create(clinic=cast.other_clinic, name="Elsewhere")
    closed = CareTeam.objects.create(clinic=cast.clinic, name="Closed", is_active=False)
    for wrong in (other, closed):
        with pytest.raises(ValidationError) as refused:
            write(cast, wrong)
        assert refused.value.messages == ["Please choose one of your care teams."]
    stranger = factories.make_practitioner(cast.clinic, family_name="Stranger")
    with pytest.raises(ValidationError) as refused:
        write(cast, team, practitioner=stranger)
    assert refused.value.messages == ["Please choose a clinician of this care team."]
    assert Thread.objects.count() == 0


def test_a_subject_and_words_are_needed(cast, team):
    with pytest.raises(ValidationError) as no_subject:
        write(cast, team, subject="  ")
    with pytest.raises(ValidationError) as no_body:
        write(cast, team, body="\n ")
    assert (no_subject.value.messages, no_body.value.messages) == (
        ["Give your message a subject."],
        ["Write your message."],
    )


def test_who_may_write_for_pat(cast, team):
    thread = write(cast, team, actor=cast.proxies.full_caregiver, acting_as="proxy")
    assert (thread.created_by, thread.created_as) == (cast.proxies.full_caregiver, "proxy")
    denied = [
        (cast.proxies.appointments_caregiver, "proxy"),
        (cast.proxies.revoked_caregiver, "proxy"),
        (cast.second_patient_user, "self"),
        (cast.nurse, "staff"),
    ]
    for actor, acting_as in denied:
        with pytest.raises(PermissionDenied):
            write(cast, team, actor=actor, acting_as=acting_as)
    assert Thread.objects.count() == 1


def test_a_team_members_reply_tells_pat_and_a_note_tells_nobody(
    cast, team, django_capture_on_commit_callbacks
):
    thread = write(cast, team)
    later = NOW + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        note = reply(
            actor=cast.nurse,
            acting_as="staff",
            thread=thread,
            body="Check chart",
            now=later,
            internal=True,
        )
    assert mail.outbox == []
    thread.refresh_from_db()
    assert thread.last_message_at == NOW
    with django_capture_on_commit_callbacks(execute=True):
        answer = reply(
            actor=cast.nurse, acting_as="staff", thread=thread, body="Send a photo", now=later
        )
    thread.refresh_from_db()
    assert (note.is_internal, answer.is_internal, thread.last_message_at) == (True, False, later)
    assert [(m.subject, m.to, m.body.splitlines()[0]) for m in mail.outbox] == [
        (
            "[Carebridge] You have a new message",
            [cast.patient_user.email],
            "You have a new message from your care team.",
        )
    ]
    assert list(Message.objects.filter(thread=thread).for_patient_side()) == [
        thread.messages.first(),
        answer,
    ]


def test_staff_outside_the_team_cannot_reply_and_patients_cannot_write_notes(cast, team):
    thread = write(cast, team)
    with pytest.raises(PermissionDenied):
        reply(actor=cast.clinician, acting_as="staff", thread=thread, body="Hi", now=NOW)
    with pytest.raises(PermissionDenied):
        reply(actor=cast.other_clinic_admin, acting_as="staff", thread=thread, body="Hi", now=NOW)
    with pytest.raises(PermissionDenied):
        reply(
            actor=cast.patient_user,
            acting_as="self",
            thread=thread,
            body="Hi",
            now=NOW,
            internal=True,
        )
    assert thread.messages.count() == 1


def test_pats_answer_reopens_a_thread_waiting_for_her(cast, team):
    thread = write(cast, team)
    thread.status = ThreadStatus.WAITING_ON_PATIENT
    thread.save()
    reply(actor=cast.patient_user, acting_as="self", thread=thread, body="Here it is", now=NOW)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEW


def test_reading_keeps_one_mark_per_person(cast, team):
    thread = write(cast, team)
    mark_read(user=cast.patient_user, thread=thread, now=NOW)
    mark_read(user=cast.patient_user, thread=thread, now=NOW + datetime.timedelta(minutes=5))
    marks = ThreadRead.objects.filter(thread=thread)
    assert [(m.user, m.read_at) for m in marks] == [
        (cast.patient_user, NOW + datetime.timedelta(minutes=5))
    ]


def test_a_patient_on_the_daily_email_is_not_emailed_for_each_reply(
    cast, team, django_capture_on_commit_callbacks
):
    from carebridge.notifications.models import NotificationPreference
    from carebridge.notifications.services import choose_message_emails

    thread = write(cast, team)
    choose_message_emails(user=cast.patient_user, choice="daily")
    with django_capture_on_commit_callbacks(execute=True):
        reply(actor=cast.nurse, acting_as="staff", thread=thread, body="Answer", now=NOW)
    assert mail.outbox == []
    assert NotificationPreference.objects.get(user=cast.patient_user).pending_since == NOW
