"""The console's message inbox: who sees which team's threads, the thread page with internal
notes and files, and replies and triage through the page."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.clinic.models import StaffMember
from carebridge.messaging.attachments import check_attachment
from carebridge.messaging.models import Message, Thread, ThreadRead, ThreadStatus
from carebridge.messaging.services import reply
from carebridge.staff.tests.inbox_setup import (  # noqa: F401
    MINIMAL_PDF,
    NOW,
    Inbox,
    frozen_clock,
    make_inbox,
    private_folder,
)
from carebridge.testing.clients import client_for, flashed
from carebridge.testing.personas import Cast
from carebridge.testing.text import mentions

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(cast: Cast) -> Inbox:
    return make_inbox(cast)


def thread_url(thread: Thread) -> str:
    return reverse("staff:inbox-thread", args=[thread.pk])


def test_the_inbox_lists_the_members_team_threads_with_age_and_unread(cast, inbox):
    thread = inbox.write()
    inbox.write(subject="Closed one").__class__.objects.filter(subject="Closed one").update(
        status=ThreadStatus.CLOSED
    )
    with time_machine.travel(NOW + datetime.timedelta(days=3, hours=2), tick=False):
        page = client_for(cast.nurse).get(reverse("staff:inbox"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Family medicine" in text and "Billing office" not in text
    assert "My tablets" in text and "Closed one" not in text
    assert "Pat" in text and "3\xa0days ago" in text and "Unread" in text
    assert [row.thread for row in page.context["rows"]] == [thread]


def test_the_status_filter_and_assigned_to_me(cast, inbox):
    first = inbox.write(subject="First")
    inbox.write(subject="Second")
    Thread.objects.filter(pk=first.pk).update(status=ThreadStatus.CLOSED, assigned_to=cast.nurse)
    client = client_for(cast.nurse)
    closed = client.get(reverse("staff:inbox") + "?status=closed")
    assert [row.thread.subject for row in closed.context["rows"]] == ["First"]
    mine = client.get(reverse("staff:inbox") + "?status=&mine=on")
    assert [row.thread.subject for row in mine.context["rows"]] == ["First"]
    everything = client.get(reverse("staff:inbox") + "?status=")
    assert sorted(row.thread.subject for row in everything.context["rows"]) == ["First", "Second"]


def test_a_read_thread_is_not_marked_unread_until_a_new_message(cast, inbox):
    thread = inbox.write()
    client = client_for(cast.nurse)
    assert client.get(thread_url(thread)).status_code == 200
    assert [row.unread for row in client.get(reverse("staff:inbox")).context["rows"]] == [False]
    later = NOW + datetime.timedelta(hours=1)
    reply(actor=cast.patient_user, acting_as="self", thread=thread, body="Also…", now=later)
    with time_machine.travel(later, tick=False):
        rows = client_for(cast.nurse).get(reverse("staff:inbox")).context["rows"]
    assert [row.unread for row in rows] == [True]


def test_another_team_is_404_and_the_other_team_member_sees_only_theirs(cast, inbox):
    thread = inbox.write()
    billing = client_for(cast.billing)
    assert billing.get(reverse("staff:inbox") + f"?team={inbox.family.pk}").status_code == 404
    assert billing.get(thread_url(thread)).status_code == 404
    listed = billing.get(reverse("staff:inbox"))
    assert listed.context["team"] == inbox.billing and listed.context["rows"] == []


@pytest.mark.parametrize(
    "who", ["front_desk", "clinic_admin", "other_clinic_admin", "patient_user", "second"]
)
def test_people_outside_the_team_get_404_for_the_thread(cast, inbox, who):
    thread = inbox.write()
    user = cast.second_patient.user if who == "second" else getattr(cast, who)
    assert client_for(user).get(thread_url(thread)).status_code == 404
    assert not ThreadRead.objects.filter(user=user).exists()


def test_a_caregiver_acting_for_the_patient_gets_404(cast, inbox):
    thread = inbox.write()
    caregiver = cast.proxies.full_caregiver
    client = client_for(caregiver, acting_for=cast.patient)
    assert client.get(thread_url(thread)).status_code == 404
    assert client.get(reverse("staff:inbox")).status_code == 404


def test_the_thread_page_shows_notes_authors_and_the_record_and_audits(cast, inbox):
    caregiver = cast.proxies.full_caregiver
    thread = inbox.write(actor=caregiver, acting_as="proxy")
    reply(
        actor=cast.nurse,
        acting_as="staff",
        thread=thread,
        body="Call the GP",
        now=NOW,
        internal=True,
    )
    before = AuditEvent.objects.count()
    page = client_for(cast.clinician).get(thread_url(thread))
    text = page.content.decode()
    assert "Internal note — the patient does not see this" in text
    assert "Call the GP" in text
    assert f"{caregiver.display_name} on behalf of {cast.patient.display_name}" in text
    assert cast.nurse.display_name in text
    assert "Current medicines" in text and "Allergies" in text and "Most recent results" in text
    events = AuditEvent.objects.order_by("sequence")[before:]
    assert sorted((e.object_type, e.action, e.acting_as) for e in events) == [
        ("allergies", "view", "staff"),
        ("medications", "view", "staff"),
        ("message_thread", "view", "staff"),
        ("results", "view", "staff"),
    ]
    assert all(e.patient_id == cast.patient.pk for e in events)
    assert ThreadRead.objects.get(thread=thread, user=cast.clinician).read_at == NOW


def test_the_thread_page_runs_few_queries(cast, inbox, django_assert_max_num_queries):
    thread = inbox.write()
    client = client_for(cast.nurse)
    client.get(thread_url(thread))
    with django_assert_max_num_queries(60) as few:
        client.get(thread_url(thread))
    for number in range(12):
        reply(
            actor=cast.nurse,
            acting_as="staff",
            thread=thread,
            body=f"Note {number}",
            now=NOW,
            internal=True,
            files=[("a.pdf", MINIMAL_PDF)],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(thread_url(thread))


def test_the_list_runs_the_same_queries_for_few_or_many(
    cast, inbox, django_assert_num_queries, django_assert_max_num_queries
):
    inbox.write()
    client = client_for(cast.nurse)
    client.get(reverse("staff:inbox"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("staff:inbox"))
    for number in range(15):
        thread = inbox.write(subject=f"Question {number}")
        Thread.objects.filter(pk=thread.pk).update(assigned_to=cast.clinician)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("staff:inbox"))
    assert len(page.context["rows"]) == 16


def test_replying_through_the_page_emails_the_patient_with_no_health_words(
    cast, inbox, django_capture_on_commit_callbacks
):
    thread = inbox.write()
    mail.outbox.clear()
    client = client_for(cast.nurse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            thread_url(thread), {"action": "reply", "body": "Yes, with breakfast."}
        )
    assert response.status_code == 302 and response["Location"] == thread_url(thread)
    assert flashed(response) == ["Your reply has been sent."]
    sent = Message.objects.get(thread=thread, author=cast.nurse)
    assert (sent.body, sent.is_internal, sent.author_as) == ("Yes, with breakfast.", False, "staff")
    assert [m.to for m in mail.outbox] == [[cast.patient_user.email]]
    assert not mentions(mail.outbox[0].body, "breakfast")


def test_a_reply_with_a_file_can_be_downloaded_and_is_audited(cast, inbox, tmp_path):
    thread = inbox.write()
    client = client_for(cast.nurse)
    upload = tmp_path / "leaflet.pdf"
    upload.write_bytes(MINIMAL_PDF)
    with upload.open("rb") as handle:
        client.post(thread_url(thread), {"action": "reply", "body": "See this.", "files": handle})
    attachment = Message.objects.get(author=cast.nurse).attachments.get()
    link = reverse("staff:inbox-attachment", args=[thread.pk, attachment.pk])
    assert link in client.get(thread_url(thread)).content.decode()
    download = client.get(link)
    assert download.status_code == 200
    # What is stored and served is the PDF rebuilt from its pages, never the upload's bytes.
    assert b"".join(download.streaming_content) == check_attachment("leaflet.pdf", MINIMAL_PDF).data
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == 'attachment; filename="leaflet.pdf"'
    event = AuditEvent.objects.filter(object_type="message_attachment").get()
    assert (event.actor, event.object_id, event.acting_as) == (
        cast.nurse,
        str(attachment.pk),
        "staff",
    )
    assert client_for(cast.billing).get(link).status_code == 404


def test_an_internal_note_through_the_page_tells_nobody(
    cast, inbox, django_capture_on_commit_callbacks
):
    thread = inbox.write()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.nurse).post(
            thread_url(thread), {"action": "note", "note-body": "Ask the pharmacist."}
        )
    assert flashed(response) == ["Your note has been added."]
    note = Message.objects.get(author=cast.nurse)
    assert (note.body, note.is_internal) == ("Ask the pharmacist.", True)
    assert mail.outbox == []


def test_an_empty_reply_shows_the_form_error_and_sends_nothing(cast, inbox):
    thread = inbox.write()
    response = client_for(cast.nurse).post(thread_url(thread), {"action": "reply", "body": " "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Message.objects.filter(author=cast.nurse).exists()


def test_a_reply_template_fills_the_text(cast, inbox):
    thread = inbox.write()
    page = client_for(cast.nurse).get(thread_url(thread) + "?template=received")
    assert page.context["reply_form"]["body"].value().startswith("We have received your message.")


def test_triage_through_the_page(cast, inbox):
    thread = inbox.write()
    client = client_for(cast.nurse)
    clinician = StaffMember.objects.get(user=cast.clinician)
    client.post(thread_url(thread), {"action": "assign", "assignee": clinician.pk})
    client.post(thread_url(thread), {"action": "priority", "priority": "high"})
    client.post(thread_url(thread), {"action": "status", "status": "waiting"})
    thread.refresh_from_db()
    assert (thread.assigned_to, thread.priority, thread.status) == (
        cast.clinician,
        "high",
        "waiting",
    )
    updates = AuditEvent.objects.filter(object_type="message_thread", action="update")
    assert [(e.actor, e.acting_as) for e in updates] == [(cast.nurse, "staff")] * 3


def test_assigning_to_someone_outside_the_team_is_refused(cast, inbox):
    thread = inbox.write()
    front_desk = StaffMember.objects.get(user=cast.front_desk)
    response = client_for(cast.nurse).post(
        thread_url(thread), {"action": "assign", "assignee": front_desk.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    thread.refresh_from_db()
    assert thread.assigned_to is None


def test_forwarding_hands_the_thread_to_the_other_team(cast, inbox):
    thread = inbox.write()
    response = client_for(cast.nurse).post(
        thread_url(thread), {"action": "forward", "team": inbox.billing.pk}
    )
    assert response.status_code == 302 and response["Location"] == reverse("staff:inbox")
    thread.refresh_from_db()
    assert (thread.team, thread.status) == (inbox.billing, "new")
    assert client_for(cast.nurse).get(thread_url(thread)).status_code == 404
    assert client_for(cast.billing).get(thread_url(thread)).status_code == 200


def test_the_inbox_is_paged_and_the_console_links_to_it(cast, inbox):
    for number in range(27):
        inbox.write(subject=f"Question {number}")
    client = client_for(cast.clinician)
    first = client.get(reverse("staff:inbox"))
    second = client.get(reverse("staff:inbox") + "?page=2")
    assert (len(first.context["rows"]), len(second.context["rows"])) == (25, 2)
    assert 'rel="next"' in first.content.decode()
    console = client.get(reverse("staff:console")).content.decode()
    assert f'href="{reverse("staff:inbox")}">Messages</a>' in console


def test_staff_of_no_team_see_an_empty_inbox(cast, inbox):
    inbox.write()
    page = client_for(cast.front_desk).get(reverse("staff:inbox"))
    assert page.status_code == 200
    assert "You do not answer for any care team yet." in page.content.decode()
    assert not mentions(page.content.decode(), "tablets")
