"""Two-step verification: who must use it, signing in with it, and recovery codes."""

from __future__ import annotations

import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from carebridge.accounts.tests.sign_in_steps import (
    reauthenticate,
    sign_in,
    totp_code,
    wrong_totp_code,
)
from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.testing import factories

pytestmark = pytest.mark.django_db

MFA_URL = "/account/2fa/"
AUTHENTICATE_URL = "/account/2fa/authenticate/"
TODO_TEXT = "Protect your account with two-step verification."


def _frozen_clock() -> time_machine.travel:
    """Stop the clock (at the real time, so sessions made now stay valid afterwards)."""
    return time_machine.travel(time.time(), tick=False)


@pytest.fixture
def staff_without_mfa_client(cast) -> Client:
    client = Client()
    client.force_login(cast.staff_without_mfa)
    return client


@pytest.mark.parametrize(
    "url", ["/", "/staff/", "/account/", "/account/email/", "/account/sessions/"]
)
def test_staff_without_mfa_are_sent_to_set_it_up_from_every_page(staff_without_mfa_client, url):
    response = staff_without_mfa_client.get(url)
    assert response.status_code == 302
    assert response["Location"] == MFA_URL


def test_the_redirect_explains_itself(staff_without_mfa_client):
    response = staff_without_mfa_client.get("/staff/", follow=True)
    assert response.redirect_chain == [(MFA_URL, 302)]
    assert "Your account needs two-step verification. Set it up to continue." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("url", "status"),
    [(MFA_URL, 200), ("/help/", 200), ("/account/reauthenticate/", 200)],
)
def test_staff_without_mfa_can_reach_set_up_and_help(staff_without_mfa_client, url, status):
    assert staff_without_mfa_client.get(url).status_code == status


def test_staff_without_mfa_reach_the_activation_page_after_confirming(staff_without_mfa_client):
    reauthenticate(staff_without_mfa_client)
    response = staff_without_mfa_client.get("/account/2fa/totp/activate/")
    assert response.status_code == 200
    assert "Set up an authenticator app" in response.content.decode()


def test_staff_without_mfa_can_sign_out(staff_without_mfa_client):
    response = staff_without_mfa_client.post("/account/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/account/login/"
    assert "_auth_user_id" not in staff_without_mfa_client.session


def test_staff_reach_the_console_once_totp_is_on(cast, staff_without_mfa_client):
    factories.enable_totp(cast.staff_without_mfa)
    assert staff_without_mfa_client.get("/staff/").status_code == 200


def test_django_admin_users_must_use_mfa_too(db):
    admin = factories.make_user(email="root@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.get("/staff/admin/")
    assert response.status_code == 302
    assert response["Location"] == MFA_URL
    factories.enable_totp(admin)
    assert client.get("/staff/admin/").status_code == 200


def test_patients_are_sent_to_set_up_mfa_when_their_clinic_requires_it(cast, patient_client):
    cast.clinic.require_patient_mfa = True
    cast.clinic.save(update_fields=["require_patient_mfa"])
    response = patient_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == MFA_URL
    factories.enable_totp(cast.patient_user)
    assert patient_client.get("/").status_code == 200


def test_patients_of_other_clinics_are_only_reminded(cast, patient_client):
    assert cast.clinic.require_patient_mfa is False
    response = patient_client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert TODO_TEXT in page
    assert f'href="{MFA_URL}"' in page
    factories.enable_totp(cast.patient_user)
    page = patient_client.get("/").content.decode()
    assert TODO_TEXT not in page
    assert "You have nothing to do right now." in page


def test_a_user_with_totp_signs_in_with_password_then_code(
    cast, client, django_capture_on_commit_callbacks
):
    secret = factories.enable_totp(cast.patient_user)
    with _frozen_clock():
        response = sign_in(client, "pat@example.org")
        assert response.status_code == 302
        assert response["Location"] == AUTHENTICATE_URL
        # Not signed in yet: the password alone is not enough.
        assert client.get("/")["Location"].startswith("/account/login/")
        page = client.get(AUTHENTICATE_URL)
        assert page.status_code == 200
        assert "Enter your verification code" in page.content.decode()
        # No passkey added, so none is offered.
        assert "Use a passkey or security key" not in page.content.decode()

        response = client.post(AUTHENTICATE_URL, {"code": wrong_totp_code(secret)})
        assert response.status_code == 200
        assert "Incorrect code." in response.content.decode()
        assert "_auth_user_id" not in client.session
        # The password was right, so the failure names the account: its owner should know.
        failure = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
        assert failure.object_type == "second_step"
        assert failure.actor == cast.patient_user
        assert failure.patient == cast.patient
        assert failure.outcome == "denied"

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    assert response.status_code == 302
    # Pat's first sign-in leads to the set-up checklist (accounts/tests/test_checklist.py).
    assert response["Location"] == "/account/welcome/"
    assert client.session["_auth_user_id"] == str(cast.patient_user.pk)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN).count() == 1


def test_a_totp_code_works_only_once(cast, client):
    secret = factories.enable_totp(cast.patient_user)
    with _frozen_clock():
        sign_in(client, "pat@example.org")
        assert client.post(AUTHENTICATE_URL, {"code": totp_code(secret)}).status_code == 302
        client.post("/account/logout/")
        other = Client()
        sign_in(other, "pat@example.org")
        response = other.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()


def _activate_totp_through_the_pages(client: Client) -> None:
    reauthenticate(client)
    with _frozen_clock():
        page = client.get("/account/2fa/totp/activate/")
        assert page.status_code == 200
        secret = page.context["form"].secret
        assert secret in page.content.decode()
        response = client.post("/account/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/recovery-codes/"


def test_activating_totp_through_the_pages_gives_recovery_codes(cast, patient_client):
    _activate_totp_through_the_pages(patient_client)
    user = cast.patient_user
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    codes = RecoveryCodes(recovery).get_unused_codes()
    assert len(codes) == 10

    index = patient_client.get(MFA_URL).content.decode()
    assert "You have 10 of 10 recovery codes left." in index
    assert 'href="/account/2fa/recovery-codes/"' in index

    listing = patient_client.get("/account/2fa/recovery-codes/")
    assert listing.status_code == 200
    page = listing.content.decode()
    for code in codes:
        assert f"<li><code>{code}</code></li>" in page


def test_a_recovery_code_signs_in_once(cast, client, patient_client):
    _activate_totp_through_the_pages(patient_client)
    recovery = Authenticator.objects.get(
        user=cast.patient_user, type=Authenticator.Type.RECOVERY_CODES
    )
    code = RecoveryCodes(recovery).get_unused_codes()[0]
    sign_in(client, "pat@example.org")
    assert client.post(AUTHENTICATE_URL, {"code": code}).status_code == 302
    again = Client()
    sign_in(again, "pat@example.org")
    response = again.post(AUTHENTICATE_URL, {"code": code})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
