"""Staff start a conversation with a patient: the page (own clinic's patients, the writer's own
teams), sending once, the audit, the e-mail (never the subject or the words), the thread in the
team's inbox as waiting for the patient, plain refusals, and the link from an appointment.

Cast (see inbox_setup): Nora (nurse) and Casey (clinician) answer "Family medicine", Bill
(billing) answers "Billing office"; Fran (front desk) answers no team; Una has no account.
"""

from __future__ import annotations

import datetime
import re
import uuid
from html import unescape
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebridge.audit.models import AuditEvent
from carebridge.messaging.models import Message, Thread, ThreadStatus, WrittenAs
from carebridge.staff.message_forms import StaffMessageForm
from carebridge.staff.tests.inbox_setup import (  # noqa: F401 (autouse fixtures)
    NOW,
    Inbox,
    frozen_clock,
    make_inbox,
    private_folder,
)
from carebridge.staff.tests.schedule_setup import make_desk
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(cast: Cast) -> Inbox:
    return make_inbox(cast)


def page(patient: Any) -> str:
    return reverse("staff:patient-message", args=[patient.pk])


def form_data(inbox: Inbox, **changes: str) -> dict[str, str]:
    data = {
        "team": str(inbox.family.pk),
        "topic": "appointments",
        "subject": "Your follow-up",
        "body": "Please book your follow-up visit.",
        "submission": str(uuid.uuid4()),
    }
    return data | changes


def text_of(html: str) -> str:
    part = html.split("<h1>", 1)[1].split("</form>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).replace("&#x27;", "'").split())


def nothing_sent() -> bool:
    return not Thread.objects.exists() and not Message.objects.exists() and mail.outbox == []


def test_the_page_offers_the_writers_own_teams(cast, inbox):
    html = client_for(cast.nurse).get(page(cast.patient)).content.decode()
    teams = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', html)
    assert teams == [(str(inbox.family.pk), "Family medicine")]
    assert text_of(html).startswith("Send Pat Patient a message Patient Pat Patient Date of birth ")
    assert (
        "The patient is told there is a new message in the way they chose (the e-mail never "
        "says what it is about) and reads it when they sign in. Their answer arrives in the "
        "team's inbox." in text_of(html)
    )


def test_opening_the_page_is_audited_for_the_patient(cast, inbox):
    client_for(cast.nurse).get(page(cast.patient))
    event = AuditEvent.objects.get(object_type="message_to_patient")
    assert (event.action, event.actor, event.patient, event.acting_as) == (
        "view",
        cast.nurse,
        cast.patient,
        "staff",
    )


def test_sending(cast, inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.nurse).post(page(cast.patient), form_data(inbox))
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:inbox-thread", args=[thread.pk])
    assert (
        thread.patient,
        thread.team,
        thread.topic,
        thread.subject,
        thread.status,
        thread.created_as,
    ) == (
        cast.patient,
        inbox.family,
        "appointments",
        "Your follow-up",
        ThreadStatus.WAITING_ON_PATIENT,
        WrittenAs.STAFF,
    )
    assert thread.messages.get().body == "Please book your follow-up visit."
    events = AuditEvent.objects.filter(object_type="message_from_clinic")
    assert [(e.action, e.object_id, e.patient, e.actor, e.acting_as) for e in events] == [
        ("create", str(thread.pk), cast.patient, cast.nurse, "staff")
    ]
    (email,) = mail.outbox
    assert (email.to, email.subject) == (["pat@example.org"], "[Carebridge] You have a new message")
    assert email.body == (
        "You have a new message from your care team.\n\nSign in to read it:\n\n"
        f"{django_settings.CAREBRIDGE_BASE_URL}/account/login/\n"
    )
    assert "follow-up" not in email.body and "follow-up" not in email.subject


def test_the_team_sees_it_as_waiting_for_the_patient(cast, inbox):
    client_for(cast.nurse).post(page(cast.patient), form_data(inbox))
    clinician = client_for(cast.clinician)
    assert "Your follow-up" in clinician.get(reverse("staff:inbox")).content.decode()
    needs_answer = clinician.get(reverse("staff:inbox"), {"status": ThreadStatus.NEW})
    assert "Your follow-up" not in needs_answer.content.decode()


def test_the_patient_reads_it_and_can_answer(cast, inbox):
    client_for(cast.nurse).post(page(cast.patient), form_data(inbox))
    thread = Thread.objects.get()
    pat = client_for(cast.patient_user)
    listing = pat.get(reverse("messaging:threads")).content.decode()
    assert (
        f'<a href="{reverse("messaging:thread", args=[thread.pk])}">Your follow-up</a> '
        '<strong class="unread">Unread</strong>' in listing
    )
    html = pat.get(reverse("messaging:thread", args=[thread.pk])).content.decode()
    assert "Please book your follow-up visit." in html
    answer = {"body": "Booked for Friday.", "submission": str(uuid.uuid4())}
    pat.post(reverse("messaging:thread-reply", args=[thread.pk]), answer)
    thread.refresh_from_db()
    assert (thread.messages.count(), thread.status) == (2, ThreadStatus.NEW)


def test_a_double_post_is_one_thread(cast, inbox, django_capture_on_commit_callbacks):
    data = form_data(inbox)
    client = client_for(cast.nurse)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(page(cast.patient), data)
        second = client.post(page(cast.patient), data)
    assert first["Location"] == second["Location"]
    assert (Thread.objects.count(), Message.objects.count(), len(mail.outbox)) == (1, 1, 1)


def test_a_patient_without_an_account_is_refused_plainly(cast, inbox):
    client = client_for(cast.nurse)
    html = client.get(page(cast.unenrolled_patient)).content.decode()
    refusal = (
        "Una Unenrolled has no portal account, so they cannot read a message here. Phone or "
        "write to them instead, or invite them to the portal."
    )
    assert refusal in html
    assert "<textarea" not in html
    response = client.post(page(cast.unenrolled_patient), form_data(inbox))
    assert response.status_code == 400
    assert nothing_sent()


def test_staff_in_no_team_are_told_why(cast, inbox):
    client = client_for(cast.front_desk)
    html = unescape(client.get(page(cast.patient)).content.decode())
    assert (
        "You do not answer for any of the clinic's care teams, so a reply would reach nobody. "
        "Ask your clinic administrator to add you to a team." in html
    )
    assert client.post(page(cast.patient), form_data(inbox)).status_code == 400
    assert nothing_sent()


def test_another_team_cannot_be_chosen(cast, inbox):
    data = form_data(inbox, team=str(inbox.billing.pk))
    response = client_for(cast.nurse).post(page(cast.patient), data)
    assert response.status_code == 400
    assert "Select a valid choice. That choice is not one of the available choices." in (
        response.content.decode()
    )
    assert nothing_sent()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"subject": ""}, "Subject: This field is required."),
        ({"body": ""}, "Message: This field is required."),
        ({"subject": "x" * 151}, "Ensure this value has at most 150 characters (it has 151)."),
    ],
)
def test_bad_input_says_why_and_sends_nothing(cast, inbox, changes, error):
    response = client_for(cast.nurse).post(page(cast.patient), form_data(inbox, **changes))
    assert response.status_code == 400
    summary = response.content.decode().split('<div class="error-summary"', 1)[1]
    assert error in re.sub(r"<[^>]+>", "", summary.split("</div>", 1)[0])
    assert nothing_sent()


def test_another_clinics_patient_is_404_and_nothing_sent(cast, inbox):
    elsewhere = factories.make_patient(
        cast.other_clinic, user=factories.make_user(email="olga@example.org")
    )
    client = client_for(cast.nurse)
    assert client.get(page(elsewhere)).status_code == 404
    assert client.post(page(elsewhere), form_data(inbox)).status_code == 404
    assert nothing_sent()


@pytest.mark.parametrize("persona", ["patient_user", "other_clinic_admin", "visitor"])
def test_others_get_404_and_nothing_sent(cast, inbox, persona):
    client = client_for(getattr(cast, persona))
    assert client.post(page(cast.patient), form_data(inbox)).status_code == 404
    assert nothing_sent()


def test_the_appointment_page_links_to_it(cast, inbox):
    desk = make_desk(cast)
    visit = desk.book(cast.patient, NOW + datetime.timedelta(days=1))
    address = reverse("staff:schedule-appointment", args=[visit.pk])
    html = client_for(cast.front_desk).get(address).content.decode()
    assert f'<a href="{page(cast.patient)}">Send Pat Patient a message</a>' in html


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    subject=st.text(max_size=200),
    body=st.text(max_size=300),
    topic=st.sampled_from(["", "other", "billing", "nonsense"]),
)
def test_the_form_accepts_only_what_the_service_can_send(
    inbox: Inbox, subject: str, body: str, topic: str
) -> None:
    team = inbox.family
    data = {"team": str(team.pk), "topic": topic, "subject": subject, "body": body}
    form = StaffMessageForm(data, teams=[team])
    expected = (
        topic != "nonsense"
        and "\x00" not in subject + body
        and 0 < len(subject.strip()) <= 150
        and 0 < len(body.strip()) <= 5000
    )
    assert form.is_valid() == expected
    if expected:
        assert form.chosen_topic() == (topic or "other")
