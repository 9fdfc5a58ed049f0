"""Notices are written in the recipient's language: the language saved on their account,
whoever or whatever caused the notice (a member of staff reading English pages, the worker with
no request at all); someone without an account (an invitee) reads the language of the person
whose action wrote to them."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy

from carebridge.accounts.models import User
from carebridge.accounts.tests.sign_in_steps import sign_in
from carebridge.messaging.services import tell_patient
from carebridge.notifications.models import NoticeKind
from carebridge.notifications.services import queue_notice
from carebridge.scheduling.services.reminders import send_reminder
from carebridge.scheduling.tests.factories import local, make_appointment, make_schedule
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 4, 15, 0, tzinfo=datetime.UTC)
LINK = "http://testserver.example/account/login/"


@pytest.fixture(autouse=True)
def _base_url(settings) -> None:
    settings.CAREBRIDGE_BASE_URL = "http://testserver.example"


def _speaks(user: User, language: str) -> None:
    User.objects.filter(pk=user.pk).update(language=language)


def test_a_spanish_patient_hears_of_a_new_message_in_spanish(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    _speaks(cast.patient_user, "es")
    # The clinician who answered reads English pages.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        tell_patient(cast.patient, NOW)
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.subject == "[Carebridge] Tiene un mensaje nuevo"
    assert message.body == (
        "Tiene un mensaje nuevo de su equipo de atención.\n\n"
        f"Inicie sesión para leerlo:\n\n{LINK}\n"
    )


def test_an_english_patient_hears_in_english_from_a_spanish_speaking_clinician(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    _speaks(cast.patient_user, "en")
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        tell_patient(cast.patient, NOW)
    [message] = mail.outbox
    assert message.subject == "[Carebridge] You have a new message"


def test_someone_without_an_account_reads_the_language_of_the_action_that_wrote(
    db, django_capture_on_commit_callbacks
) -> None:
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        queue_notice(
            kind=NoticeKind.INVITATION,
            address="new.helper@example.org",
            subject=gettext_lazy("[Carebridge] You have a new message"),
            body=gettext_lazy("Sign in to read it:"),
        )
    [message] = mail.outbox
    assert (message.subject, message.body) == (
        "[Carebridge] Tiene un mensaje nuevo",
        "Inicie sesión para leerlo:",
    )


def test_allauths_security_notice_is_in_the_account_holders_language(
    cast: Cast, client, django_capture_on_commit_callbacks
) -> None:
    _speaks(cast.patient_user, "es")
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(client, "pat@example.org", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "[Carebridge] Nuevo inicio de sesión en su cuenta"
    assert message.body.startswith("Hola:\n")


def test_the_workers_appointment_reminder_is_in_the_patients_language(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    _speaks(cast.patient_user, "es")
    schedule = make_schedule(cast.clinic, name="Heart check")
    appointment = make_appointment(
        cast.patient,
        schedule.visit_type,
        schedule.practitioner,
        schedule.location,
        local(2030, 3, 11, 9, 30),
    )
    reminder = appointment.reminders.create(starts_at=appointment.starts_at, hours_before=24)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminder(reminder.pk, now=NOW)
    [message] = mail.outbox
    assert message.subject == "[Carebridge] Recordatorio: tiene una cita"
    # The date and time in Spanish form (the portal's named formats for Spanish).
    assert message.body.startswith("Le recordamos que tiene una cita el lunes 11 de marzo de 2030")
