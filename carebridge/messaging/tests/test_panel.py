"""The home page's messages panel: how many conversations have something unread for this
viewer, never what; nothing for those who may not use the patient's messages."""

from __future__ import annotations

import datetime
import re
from types import SimpleNamespace

import pytest

from carebridge.clinic.models import StaffMember
from carebridge.messaging.models import CareTeam, Topic
from carebridge.messaging.panels import messages_panel
from carebridge.messaging.services import mark_read, reply, start_thread
from carebridge.proxies.acting import ActingContext, Relationship
from carebridge.testing.clients import client_for

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def private_folder(settings, tmp_path):
    settings.CAREBRIDGE_ATTACHMENT_DIR = tmp_path


def panel_text(client) -> str:
    page = client.get("/").content.decode()
    if ">Messages</h2>" not in page:
        return ""
    section = page.split(">Messages</h2>", 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def thread_with_reply(cast, subject: str, minutes: int):
    team, _ = CareTeam.objects.get_or_create(clinic=cast.clinic, name="Family medicine")
    team.members.add(StaffMember.objects.get(user=cast.nurse))
    when = NOW + datetime.timedelta(minutes=minutes)
    thread = start_thread(
        actor=cast.patient_user,
        acting_as="self",
        patient=cast.patient,
        team=team,
        topic=Topic.OTHER,
        subject=subject,
        body="Question",
        now=when,
    )
    mark_read(user=cast.patient_user, thread=thread, now=when)
    answered = when + datetime.timedelta(seconds=30)
    reply(actor=cast.nurse, acting_as="staff", thread=thread, body="Answer", now=answered)
    return thread


def test_pat_sees_how_many_conversations_are_unread_and_nothing_of_them(cast, patient_client):
    assert panel_text(patient_client) == "No new messages. Go to messages"
    first = thread_with_reply(cast, "Rash on my arm", 1)
    thread_with_reply(cast, "Knee pain", 2)
    text = panel_text(patient_client)
    assert text == "2 conversations have messages you have not read. Go to messages"
    assert "Rash" not in patient_client.get("/").content.decode()
    mark_read(user=cast.patient_user, thread=first, now=NOW + datetime.timedelta(hours=1))
    assert panel_text(patient_client) == (
        "1 conversation has a message you have not read. Go to messages"
    )


def test_a_caregiver_counts_what_they_have_not_read(cast):
    thread_with_reply(cast, "Rash on my arm", 1)
    cora = client_for(cast.proxies.full_caregiver, cast.patient)
    assert panel_text(cora) == "1 conversation has a message you have not read. Go to messages"


def test_no_panel_without_the_messaging_scope_or_for_staff(cast):
    abe = client_for(cast.proxies.appointments_caregiver, cast.patient)
    assert panel_text(abe) == ""
    staff = ActingContext(user=cast.clinician, relationship=Relationship.STAFF)
    request = SimpleNamespace(acting=staff, user=cast.clinician)
    assert messages_panel(request) is None  # type: ignore[arg-type]
