"""Security e-mails: one per event, and never any health information."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.core import mail
from django.test import Client

from carebridge.accounts.tests.sign_in_steps import reauthenticate, sign_in, totp_code
from carebridge.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

CLINICAL_WORDS = [
    "diagnos",
    "result",
    "medication",
    "prescri",
    "allerg",
    "appointment",
    "condition",
    "immuniz",
    "vaccin",
    "symptom",
    "procedure",
    "clinician",
    "lab ",
]


def _assert_no_health_information(message, cast) -> None:
    text = f"{message.subject}\n{message.body}".lower()
    patient = cast.patient
    assert patient.mrn.lower() not in text
    birth = patient.birth_date
    for written in (birth.isoformat(), birth.strftime("%m/%d/%Y"), str(birth.year)):
        assert written.lower() not in text
    assert birth.strftime("%B %-d").lower() not in text
    for word in CLINICAL_WORDS:
        assert word not in text, word


def test_the_check_would_catch_health_information(cast):
    leaky = mail.EmailMessage(subject="Your lab result", body=f"MRN {cast.patient.mrn}")
    with pytest.raises(AssertionError):
        _assert_no_health_information(leaky, cast)


def test_changing_the_password_sends_one_notice(
    cast, patient_client, django_capture_on_commit_callbacks
):
    reauthenticate(patient_client)
    new_password = "violet engine copper willow"
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            "/account/password/change/",
            {"oldpassword": TEST_PASSWORD, "password1": new_password, "password2": new_password},
        )
    assert response.status_code == 302
    cast.patient_user.refresh_from_db()
    assert cast.patient_user.check_password(new_password)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@example.org"]
    assert message.subject == "[Carebridge] Password Changed"
    assert "Your password has been changed." in message.body
    _assert_no_health_information(message, cast)


def test_turning_on_totp_sends_one_notice(cast, patient_client, django_capture_on_commit_callbacks):
    reauthenticate(patient_client)
    with time_machine.travel(time.time(), tick=False):
        secret = patient_client.get("/account/2fa/totp/activate/").context["form"].secret
        with django_capture_on_commit_callbacks(execute=True):
            response = patient_client.post(
                "/account/2fa/totp/activate/", {"code": totp_code(secret)}
            )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@example.org"]
    assert message.subject == "[Carebridge] Authenticator App Activated"
    _assert_no_health_information(message, cast)


def _sign_in_from(user_agent: str, callbacks) -> None:
    client = Client(headers={"User-Agent": user_agent})
    with callbacks(execute=True):
        response = sign_in(client, "pat@example.org")
    assert response.status_code == 302


def test_a_sign_in_from_a_new_browser_sends_one_notice(cast, django_capture_on_commit_callbacks):
    _sign_in_from("Firefox on the kitchen laptop", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["pat@example.org"]
    assert message.subject == "[Carebridge] New sign-in to your account"
    assert "a browser we have not seen before" in message.body
    assert "Firefox on the kitchen laptop" in message.body
    _assert_no_health_information(message, cast)

    # The same browser again: nothing new to report.
    _sign_in_from("Firefox on the kitchen laptop", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1

    _sign_in_from("Safari on a phone", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2
    assert "Safari on a phone" in mail.outbox[1].body
    _assert_no_health_information(mail.outbox[1], cast)


def test_a_failed_sign_in_sends_nothing(cast, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_in(client, "pat@example.org", "not the right password")
    assert mail.outbox == []
