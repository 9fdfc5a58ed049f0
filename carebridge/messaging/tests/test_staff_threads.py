"""Conversations the clinic starts (`start_staff_thread`): who may, the thread as waiting for the
patient, the audit, the patient told as they chose (never what it says), sent once, and a
teenager's: Tess's, not her father's, unless she shares her messages.

Cast: Nora (nurse) answers Pat's clinic's "Family medicine" team; Casey (clinician) answers no
team; Una has no portal account; Tess (15) and Terry, her father with every scope.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carebridge.audit.models import AuditEvent
from carebridge.messaging.models import CareTeam, Message, Thread, ThreadStatus, WrittenAs
from carebridge.messaging.services import reply
from carebridge.messaging.services.clinic_threads import start_staff_thread
from carebridge.notifications.models import MessageEmails, NotificationPreference
from carebridge.proxies.services.grants import set_teen_sharing
from carebridge.testing import factories
from carebridge.testing.clients import client_for
from carebridge.testing.personas import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen", "folder")]

SUBJECT = "Your follow-up visit"
BODY = "Please book your follow-up in the next two weeks."


def start(cast: Cast, team: CareTeam, now: datetime.datetime, **changes: Any) -> Thread:
    arguments: dict[str, Any] = {
        "actor": cast.nurse,
        "patient": cast.patient,
        "team": team,
        "topic": "appointments",
        "subject": SUBJECT,
        "body": BODY,
        "now": now,
    }
    return start_staff_thread(**(arguments | changes))


def nothing_written() -> bool:
    return not Thread.objects.exists() and not Message.objects.exists() and mail.outbox == []


def test_the_thread_waits_for_the_patient_and_is_audited(
    cast, team, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = start(cast, team, frozen)
    thread.refresh_from_db()
    assert (
        thread.patient,
        thread.team,
        thread.status,
        thread.created_as,
        thread.created_by,
        thread.topic,
        thread.subject,
        thread.last_message_at,
    ) == (
        cast.patient,
        team,
        ThreadStatus.WAITING_ON_PATIENT,
        WrittenAs.STAFF,
        cast.nurse,
        "appointments",
        SUBJECT,
        frozen,
    )
    message = thread.messages.get()
    assert (message.author, message.author_as, message.body, message.is_internal) == (
        cast.nurse,
        WrittenAs.STAFF,
        BODY,
        False,
    )
    event = AuditEvent.objects.get(object_type="message_from_clinic")
    assert (event.action, event.object_id, event.patient, event.actor, event.acting_as) == (
        "create",
        str(thread.pk),
        cast.patient,
        cast.nurse,
        "staff",
    )


def test_the_patient_is_told_with_no_subject_or_words(
    cast, team, frozen, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(cast, team, frozen)
    (email,) = mail.outbox
    assert (email.to, email.subject) == (["pat@example.org"], "[Carebridge] You have a new message")
    assert email.body == (
        "You have a new message from your care team.\n\nSign in to read it:\n\n"
        f"{settings.CAREBRIDGE_BASE_URL}/account/login/\n"
    )


def test_a_patient_on_the_daily_choice_hears_in_the_digest(
    cast, team, frozen, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.update_or_create(
        user=cast.patient_user, defaults={"message_emails": MessageEmails.DAILY}
    )
    with django_capture_on_commit_callbacks(execute=True):
        start(cast, team, frozen)
    assert mail.outbox == []
    preference = NotificationPreference.objects.get(user=cast.patient_user)
    assert preference.pending_since == frozen


def test_the_same_form_posted_twice_is_one_thread(
    cast, team, frozen, django_capture_on_commit_callbacks
):
    key = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = start(cast, team, frozen, submission=key)
        second = start(cast, team, frozen, submission=key)
    assert first.pk == second.pk
    assert (Thread.objects.count(), Message.objects.count(), len(mail.outbox)) == (1, 1, 1)


def test_the_patients_answer_makes_it_new_for_the_team(
    cast, team, frozen, django_capture_on_commit_callbacks
):
    thread = start(cast, team, frozen)
    with django_capture_on_commit_callbacks(execute=True):
        reply(actor=cast.patient_user, acting_as="self", thread=thread, body="Booked!", now=frozen)
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.NEW
    assert [email.to for email in mail.outbox] == [[cast.nurse.email]]


def test_staff_outside_the_team_are_refused(cast, team, frozen):
    with pytest.raises(PermissionDenied):
        start(cast, team, frozen, actor=cast.clinician)
    with pytest.raises(PermissionDenied):
        start(cast, team, frozen, actor=cast.patient_user)
    assert nothing_written()


def test_another_clinics_patient_is_refused(cast, team, frozen):
    elsewhere = factories.make_patient(
        cast.other_clinic, user=factories.make_user(email="olga@example.org")
    )
    with pytest.raises(PermissionDenied):
        start(cast, team, frozen, patient=elsewhere)
    assert nothing_written()


def test_a_patient_without_an_account_is_refused(cast, team, frozen):
    with pytest.raises(ValidationError) as raised:
        start(cast, team, frozen, patient=cast.unenrolled_patient)
    assert raised.value.messages == ["This patient has no portal account."]
    assert nothing_written()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"subject": "   "}, "Give your message a subject."),
        ({"body": " \n "}, "Write your message."),
    ],
)
def test_empty_words_are_refused(cast, team, frozen, changes, error):
    with pytest.raises(ValidationError) as raised:
        start(cast, team, frozen, **changes)
    assert raised.value.messages == [error]
    assert nothing_written()


def tess_thread(cast: Cast, team: CareTeam, now: datetime.datetime) -> Thread:
    return start(cast, team, now, patient=cast.proxies.teen)


def terry_sees(cast: Cast, thread: Thread) -> int:
    client = client_for(cast.proxies.parent_of_teen, acting_for=cast.proxies.teen)
    return client.get(reverse("messaging:thread", args=[thread.pk])).status_code


def test_a_teenager_sees_it_and_is_the_one_told(
    cast, team, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = tess_thread(cast, team, frozen)
    tess = client_for(cast.proxies.teen_user)
    assert tess.get(reverse("messaging:thread", args=[thread.pk])).status_code == 200
    assert [email.to for email in mail.outbox] == [[cast.proxies.teen_user.email]]


def test_a_teenagers_parent_does_not_see_it_nor_answer_it(cast, team, frozen):
    thread = tess_thread(cast, team, frozen)
    assert terry_sees(cast, thread) == 404
    client = client_for(cast.proxies.parent_of_teen, acting_for=cast.proxies.teen)
    listing = client.get(reverse("messaging:threads"), follow=True).context["listing"]
    assert [row.thread for row in listing.rows] == []
    with pytest.raises(PermissionDenied):
        reply(
            actor=cast.proxies.parent_of_teen,
            acting_as="proxy",
            thread=thread,
            body="I am her father",
            now=frozen,
        )
    assert thread.messages.count() == 1


def test_the_parent_sees_it_once_the_teenager_shares_her_messages(cast, team, frozen):
    thread = tess_thread(cast, team, frozen)
    set_teen_sharing(
        actor=cast.proxies.teen_user,
        grant=cast.proxies.grants["parent_of_teen"],
        scopes=["messaging"],
    )
    assert terry_sees(cast, thread) == 200
