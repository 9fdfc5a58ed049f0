"""The patient's messaging pages: the list, writing, one conversation, replying and files.

Who may see what (Pat, Cora with every scope, Abe with appointments only, Sam, staff), what is
shown (words, escaping, unread marks, the clinic's clock), what a refusal leaves behind
(nothing), and that the list's queries do not grow with the number of conversations.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from carebridge.audit.models import AuditEvent
from carebridge.messaging import services
from carebridge.messaging.models import (
    Attachment,
    CareTeam,
    Message,
    Thread,
    ThreadRead,
    ThreadStatus,
    Topic,
)
from carebridge.messaging.tests.conftest import NOW
from carebridge.testing import factories
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.text import mentions

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

EMERGENCY = (
    "Messages are not for emergencies. If you need help now, call 911. "
    "The clinic answers messages within 2 working days."
)
LIST = "/messages/"
NEW = "/messages/new/"


def png(colour: tuple[int, int, int] = (255, 0, 0)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), colour).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def cora(cast: Any) -> Any:
    return cast.proxies.full_caregiver


def abe(cast: Any) -> Any:
    return cast.proxies.appointments_caregiver


def write(cast: Any, team: CareTeam, **changes: Any) -> Thread:
    arguments: dict[str, Any] = {
        "actor": cast.patient_user,
        "acting_as": "self",
        "patient": cast.patient,
        "team": team,
        "topic": Topic.OTHER,
        "subject": "Rash on my arm",
        "body": "It started on Monday.",
        "now": NOW,
    }
    return services.start_thread(**(arguments | changes))


def staff_reply(cast: Any, thread: Thread, body: str, **changes: Any) -> Message:
    return services.reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=thread,
        body=body,
        now=changes.pop("now", NOW),
        **changes,
    )


def stored(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def nothing_saved(folder: Path) -> bool:
    return (
        not Thread.objects.exists()
        and not Message.objects.exists()
        and not Attachment.objects.exists()
        and stored(folder) == []
    )


# The list


def test_pat_sees_her_threads_newest_first_with_words(cast, team):
    older = write(cast, team, subject="Older question", now=NOW - datetime.timedelta(days=2))
    newer = write(cast, team, subject="Newer question")
    Thread.objects.filter(pk=older.pk).update(status=ThreadStatus.WAITING_ON_PATIENT)
    response = client_for(cast.patient_user).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("Newer question") < html.index("Older question")
    assert "Family medicine" in html
    assert "Waiting for the patient" in html
    assert "New" in html
    assert 'datetime="2026-03-04T10:00:00-05:00"' in html
    assert f'href="/messages/{newer.pk}/"' in html
    assert html.count("Unread") == 2
    event = AuditEvent.objects.filter(object_type="message_thread", action="view").latest("pk")
    assert event.outcome == "success"
    assert event.patient_id == cast.patient.pk


def test_unread_until_opened_and_again_after_a_staff_reply(cast, team):
    thread = write(cast, team)
    client = client_for(cast.patient_user)
    assert "Unread" in client.get(LIST).content.decode()
    assert client.get(f"/messages/{thread.pk}/").status_code == 200
    assert ThreadRead.objects.get(thread=thread, user=cast.patient_user).read_at == NOW
    assert "Unread" not in client.get(LIST).content.decode()
    # A staff note is not new to the patient; a reply is.
    services.reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=thread,
        body="Note",
        internal=True,
        now=NOW + datetime.timedelta(hours=1),
    )
    assert "Unread" not in client.get(LIST).content.decode()
    staff_reply(cast, thread, "Please send a photo.", now=NOW + datetime.timedelta(hours=2))
    assert "Unread" in client.get(LIST).content.decode()


def test_cora_sees_pats_threads_and_sam_does_not(cast, team):
    write(cast, team, subject="Question from Pat")
    response = client_for(cora(cast), acting_for=cast.patient).get(LIST)
    assert response.status_code == 200
    assert "Question from Pat" in response.content.decode()
    assert "Messages for Pat Patient" in response.content.decode()
    sams = client_for(cast.second_patient_user).get(LIST)
    assert sams.status_code == 200
    assert "Question from Pat" not in sams.content.decode()
    assert "There are no messages yet." in sams.content.decode()


def test_abe_and_staff_get_404_and_abe_is_audited_as_denied(cast, team):
    write(cast, team)
    assert client_for(abe(cast), acting_for=cast.patient).get(LIST).status_code == 404
    denied = AuditEvent.objects.filter(object_type="message_thread", outcome="denied").get()
    assert denied.actor_id == abe(cast).pk
    assert denied.patient_id == cast.patient.pk
    for staff in (cast.clinician, cast.nurse, cast.clinic_admin):
        assert client_for(staff).get(LIST).status_code == 404
        assert client_for(staff).get(NEW).status_code == 404


def test_list_is_paged_20_a_page(cast, team):
    for number in range(23):
        write(
            cast, team, subject=f"Question {number:02d}", now=NOW - datetime.timedelta(hours=number)
        )
    first = client_for(cast.patient_user).get(LIST).content.decode()
    assert first.count('class="message-thread"') == 20
    assert "Question 00" in first and "Question 19" in first and "Question 20" not in first
    assert "Page 1 of 2" in first
    second = client_for(cast.patient_user).get(LIST + "?page=2").content.decode()
    assert second.count('class="message-thread"') == 3
    assert "Question 22" in second


def list_queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(LIST).status_code == 200
    return len(captured.captured_queries)


def test_list_queries_do_not_grow_with_threads(cast, team):
    client = client_for(cast.patient_user)
    write(cast, team)
    list_queries(client)  # The first request of a session saves the session: not counted.
    few = list_queries(client)
    for number in range(15):
        thread = write(cast, team, subject=f"Q{number}")
        staff_reply(cast, thread, "Answer")
    # The new messages renewed the count kept for Pat: it is counted once, then kept again.
    list_queries(client)
    assert list_queries(client) == few


# Writing


def test_compose_shows_the_emergency_note_and_the_choices(cast, team, doctor, settings):
    CareTeam.objects.create(clinic=cast.clinic, name="Closed team", is_active=False)
    CareTeam.objects.create(clinic=cast.other_clinic, name="Other clinic team")
    response = client_for(cast.patient_user).get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert EMERGENCY in " ".join(html.split())
    assert "Family medicine" not in html
    assert "Closed team" not in html
    assert "Other clinic team" not in html
    assert "Dana Doc" in html
    assert "<legend>What is it about?</legend>" in html
    assert [label for _, label in Topic.choices] == [
        "A question about a result",
        "Medicines and refills",
        "Appointments",
        "Bills and insurance",
        "A form or letter",
        "Something else",
    ]
    for value, label in Topic.choices:
        assert f'value="{value}"' in html and f">{label}</label>" in html
    assert "multiple" in html and 'enctype="multipart/form-data"' in html
    cast.clinic.message_reply_days = 3
    cast.clinic.save()
    html = client_for(cast.patient_user).get(NEW).content.decode()
    assert "The clinic answers messages within 3 working days." in " ".join(html.split())


def compose_data(team: CareTeam, **changes: Any) -> dict[str, Any]:
    return {
        "team": str(team.pk),
        "practitioner": "",
        "topic": Topic.OTHER,
        "subject": "Rash",
        "body": "Line one\nLine two",
    } | changes


def test_pat_writes_with_two_files(cast, team, doctor, folder):
    client = client_for(cast.patient_user)
    data = compose_data(
        team,
        practitioner=str(doctor.pk),
        attachments=[upload("arm.png", png()), upload("leg.png", png((0, 0, 255)))],
    )
    response = client.post(NEW, data)
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{thread.pk}/"
    assert flashed(response) == ["Your message is sent."]
    assert thread.created_by == cast.patient_user
    assert thread.created_as == "self"
    assert thread.practitioner == doctor
    assert thread.subject == "Rash"
    (message,) = thread.messages.all()
    assert message.body == "Line one\nLine two"
    assert sorted(a.original_name for a in message.attachments.all()) == ["arm.png", "leg.png"]
    assert len(stored(folder)) == 2


def test_cora_writes_for_pat(cast, team):
    client = client_for(cora(cast), acting_for=cast.patient)
    response = client.post(NEW, compose_data(team))
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert thread.patient == cast.patient
    assert thread.created_by == cora(cast)
    assert thread.created_as == "proxy"
    page = client.get(f"/messages/{thread.pk}/").content.decode()
    assert "Cora Caregiver on behalf of Pat Patient" in page


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"subject": ""}, "Give your message a subject."),
        ({"body": ""}, "Write your message."),
        ({"body": "   "}, "Write your message."),
        ({"topic": ""}, "Choose what your message is about."),
        ({"topic": "clinical"}, "Select a valid choice. clinical is not one of the available"),
    ],
)
def test_compose_form_refusals_save_nothing(cast, team, folder, changes, error):
    # With no file chosen (files are kept after an error: see test_kept_files).
    data = compose_data(team) | changes
    response = client_for(cast.patient_user).post(NEW, data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert nothing_saved(folder)


def test_a_chosen_clinician_picks_their_team_among_equals(cast, team, folder):
    other_team = CareTeam.objects.create(clinic=cast.clinic, name="Heart clinic")
    outsider = factories.make_practitioner(cast.clinic, given_name="Olga", family_name="Out")
    other_team.practitioners.add(outsider)
    data = compose_data(team, practitioner=str(outsider.pk))
    assert client_for(cast.patient_user).post(NEW, data).status_code == 302
    assert Thread.objects.get().team == other_team


def test_a_team_sent_with_the_form_is_ignored(cast, team, folder):
    other = CareTeam.objects.create(clinic=cast.other_clinic, name="Hilltop team")
    response = client_for(cast.patient_user).post(NEW, compose_data(other))
    assert response.status_code == 302
    assert Thread.objects.get().team == team


def test_compose_refuses_a_file_that_is_not_a_pdf_or_picture(cast, team, folder):
    files = [upload("arm.png", png()), upload("notes.pdf", b"<html><script>x</script>")]
    response = client_for(cast.patient_user).post(NEW, compose_data(team, attachments=files))
    assert response.status_code == 200
    assert "“notes.pdf” is not a PDF, JPEG or PNG file." in response.content.decode()
    assert nothing_saved(folder)


def test_compose_refuses_too_many_files(cast, team, folder, settings):
    settings.CAREBRIDGE_ATTACHMENTS_PER_MESSAGE = 2
    files = [upload(f"{n}.png", png()) for n in range(3)]
    response = client_for(cast.patient_user).post(NEW, compose_data(team, attachments=files))
    assert response.status_code == 200
    assert "You can attach up to 2 files to one message." in response.content.decode()
    assert nothing_saved(folder)


def test_abe_sam_and_staff_cannot_write_for_pat(cast, team, folder):
    def data() -> dict[str, Any]:
        return compose_data(team, attachments=[upload("arm.png", png())])

    assert client_for(abe(cast), acting_for=cast.patient).post(NEW, data()).status_code == 404
    assert client_for(abe(cast), acting_for=cast.patient).get(NEW).status_code == 404
    assert client_for(cast.nurse).post(NEW, data()).status_code == 404
    assert nothing_saved(folder)
    # Sam cannot choose to act for Pat: he writes only as and for himself.
    response = client_for(cast.second_patient_user, acting_for=cast.patient).post(NEW, data())
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.patient == cast.second_patient
    assert thread.created_by == cast.second_patient_user


# One conversation


def test_thread_shows_words_escaped_with_line_breaks_and_no_staff_notes(cast, team):
    thread = write(
        cast,
        team,
        subject="<b>Rash</b> on my arm",
        body='<script>alert("x")</script>\nhttps://example.org/x',
    )
    staff_reply(cast, thread, "Secret note for staff", internal=True)
    staff_reply(cast, thread, "Please send a photo.")
    response = client_for(cast.patient_user).get(f"/messages/{thread.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>https://example.org/x" in html
    assert 'href="https://example.org/x"' not in html
    assert "Secret note for staff" not in html
    assert "Please send a photo." in html
    assert "Nora Nurse (care team)" in html
    assert mentions(html, "Pat Patient")
    assert "&lt;b&gt;Rash&lt;/b&gt; on my arm" in html
    assert "<b>Rash</b>" not in html
    assert 'datetime="2026-03-04T10:00:00-05:00"' in html
    assert EMERGENCY in " ".join(html.split())
    event = AuditEvent.objects.filter(object_type="message_thread", action="view").latest("pk")
    assert event.object_id == str(thread.pk)


def test_thread_is_404_for_abe_sam_staff_and_unknown_ids(cast, team):
    thread = write(cast, team)
    path = f"/messages/{thread.pk}/"
    assert client_for(cora(cast), acting_for=cast.patient).get(path).status_code == 200
    assert client_for(abe(cast), acting_for=cast.patient).get(path).status_code == 404
    assert client_for(cast.second_patient_user).get(path).status_code == 404
    assert client_for(cast.nurse).get(path).status_code == 404
    assert client_for(cast.patient_user).get(f"/messages/{NO_THREAD}/").status_code == 404
    assert not ThreadRead.objects.exclude(user=cora(cast)).exists()


NO_THREAD = "00000000-0000-4000-8000-000000000009"


def test_pat_replies_with_a_file(cast, team, folder):
    thread = write(cast, team)
    Thread.objects.filter(pk=thread.pk).update(status=ThreadStatus.WAITING_ON_PATIENT)
    later = NOW + datetime.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        response = client_for(cast.patient_user).post(
            f"/messages/{thread.pk}/reply/",
            {"body": "Here it is.", "attachments": [upload("arm.png", png())]},
        )
    assert response.status_code == 302
    assert response["Location"] == f"/messages/{thread.pk}/"
    assert flashed(response) == ["Your message is sent."]
    reply = thread.messages.latest("created_at")
    assert reply.body == "Here it is."
    assert reply.author_as == "self"
    assert reply.attachments.get().original_name == "arm.png"
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEW
    assert thread.last_message_at == later


def test_reply_refusals_save_nothing(cast, team, folder):
    thread = write(cast, team)
    client = client_for(cast.patient_user)
    path = f"/messages/{thread.pk}/reply/"
    # With no file chosen (files are kept after an error: see test_kept_files).
    response = client.post(path, {"body": ""})
    assert response.status_code == 200
    assert "Write your message." in response.content.decode()
    response = client.post(path, {"body": "Hi", "attachments": [upload("a.txt", b"plain text")]})
    assert response.status_code == 200
    assert "“a.txt” is not a PDF, JPEG or PNG file." in response.content.decode()
    assert thread.messages.count() == 1
    assert not Attachment.objects.exists()
    assert stored(folder) == []
    data = {"body": "Hi"}
    assert client_for(abe(cast), acting_for=cast.patient).post(path, data).status_code == 404
    assert client_for(cast.second_patient_user).post(path, data).status_code == 404
    assert client_for(cast.nurse).post(path, data).status_code == 404
    assert thread.messages.count() == 1


# Files


def test_attachment_download_bytes_and_headers(cast, team, folder):
    thread = write(cast, team, files=[("my arm.png", png())])
    attachment = Attachment.objects.get()
    path = f"/messages/{thread.pk}/attachments/{attachment.pk}/"
    for client in (
        client_for(cast.patient_user),
        client_for(cora(cast), acting_for=cast.patient),
    ):
        response = client.get(path)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body == (folder / attachment.stored_name).read_bytes()
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == 'attachment; filename="my arm.png"'
        assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.filter(object_type="message_attachment").latest("pk")
    assert event.object_id == str(attachment.pk)
    assert event.action == "view"


def test_attachment_is_404_for_others_staff_notes_and_the_wrong_thread(cast, team, folder):
    thread = write(cast, team, files=[("arm.png", png())])
    other = write(cast, team, subject="Another")
    attachment = Attachment.objects.get()
    path = f"/messages/{thread.pk}/attachments/{attachment.pk}/"
    assert client_for(abe(cast), acting_for=cast.patient).get(path).status_code == 404
    assert client_for(cast.second_patient_user).get(path).status_code == 404
    assert client_for(cast.nurse).get(path).status_code == 404
    wrong = f"/messages/{other.pk}/attachments/{attachment.pk}/"
    assert client_for(cast.patient_user).get(wrong).status_code == 404
    note = staff_reply(cast, thread, "Scan for staff", internal=True, files=[("s.png", png())])
    hidden = note.attachments.get()
    hidden_path = f"/messages/{thread.pk}/attachments/{hidden.pk}/"
    assert client_for(cast.patient_user).get(hidden_path).status_code == 404
    page = client_for(cast.patient_user).get(f"/messages/{thread.pk}/").content.decode()
    assert "s.png" not in page
    assert f'href="{path}"' in page
    assert "PNG image" in page


def test_messages_is_in_the_navigation_for_pat_and_cora_not_abe(cast, team):
    assert 'href="/messages/"' in client_for(cast.patient_user).get("/").content.decode()
    cora_page = client_for(cora(cast), acting_for=cast.patient).get(LIST).content.decode()
    assert 'href="/messages/"' in cora_page
    abe_page = client_for(abe(cast), acting_for=cast.patient).get("/appointments/")
    assert 'href="/messages/"' not in abe_page.content.decode()


def test_the_error_summary_links_a_missing_topic_to_its_first_choice(cast, team):
    response = client_for(cast.patient_user).post(NEW, compose_data(team, topic=""))
    html = response.content.decode()
    assert '<a href="#id_topic_0">What is it about?: Choose what your message is about.</a>' in html
    assert 'id="id_topic_0"' in html


def test_the_portal_picks_the_team_from_the_topic(cast, team, folder):
    desk = CareTeam.objects.create(
        clinic=cast.clinic, name="Front desk", topics=[Topic.APPOINTMENTS, Topic.BILLING]
    )
    team.topics = [Topic.RESULT, Topic.OTHER]
    team.save()
    client = client_for(cast.patient_user)
    assert client.post(NEW, compose_data(team, topic=Topic.BILLING)).status_code == 302
    assert client.post(NEW, compose_data(desk, topic=Topic.RESULT, subject="R")).status_code == 302
    picked = dict(Thread.objects.values_list("subject", "team__name"))
    assert picked == {"Rash": "Front desk", "R": "Family medicine"}


def test_a_clinician_who_does_not_answer_the_topic_is_refused(cast, team, doctor, folder):
    CareTeam.objects.create(clinic=cast.clinic, name="Front desk", topics=[Topic.BILLING])
    team.topics = [Topic.OTHER]
    team.save()
    client = client_for(cast.patient_user)
    data = compose_data(team, topic=Topic.BILLING, practitioner=str(doctor.pk))
    response = client.post(NEW, data | {"attachments": [upload("a.png", png())]})
    assert response.status_code == 200
    assert (
        "Dana Doc, MD does not answer messages about this. Choose “Anyone who can answer”, "
        "or another topic."
    ) in response.content.decode()
    assert nothing_saved(folder)
