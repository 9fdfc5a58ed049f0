"""Signing in through the real allauth form: errors that reveal nothing, limits, and audit."""

from __future__ import annotations

import re
from typing import ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client

from carebridge.audit.models import AuditAction, AuditEvent, AuditOutcome
from carebridge.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/account/login/"
MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."


class CountingHasher(MD5PasswordHasher):
    """A real (fast) hasher that records each password hash it computes.

    MD5's `verify` hashes through `encode`; that inner call is part of the same computation,
    so it is not counted twice.
    """

    calls: ClassVar[list[str]] = []
    _verifying = False

    def encode(self, password: str, salt: str) -> str:
        if not self._verifying:
            CountingHasher.calls.append("encode")
        return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        CountingHasher.calls.append("verify")
        self._verifying = True
        try:
            return super().verify(password, encoded)
        finally:
            self._verifying = False


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls.clear()
    yield CountingHasher.calls
    CountingHasher.calls.clear()


def _sign_in(client: Client, login: str, password: str, **extra: str):
    return client.post(LOGIN_URL, {"login": login, "password": password, **extra})


def _error_summary(response) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S)
    assert match is not None, "the page shows no error summary"
    return match.group(0)


def test_correct_password_signs_in_and_is_audited(client, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_in(client, "pat@example.org", TEST_PASSWORD)
    assert response.status_code == 302
    # Pat's first sign-in leads to the set-up checklist (accounts/tests/test_checklist.py).
    assert response["Location"] == "/account/welcome/"
    assert client.get("/").context["user"] == cast.patient_user
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert event.actor == cast.patient_user
    assert event.patient == cast.patient
    assert event.acting_as == "self"
    assert event.object_type == "session"
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.ip == "127.0.0.1"


def test_the_address_is_matched_without_regard_to_case(client, cast):
    response = _sign_in(client, "Pat@Example.ORG", TEST_PASSWORD)
    assert response.status_code == 302
    # Pat's first sign-in leads to the set-up checklist (accounts/tests/test_checklist.py).
    assert response["Location"] == "/account/welcome/"


def test_wrong_password_and_unknown_account_look_exactly_the_same(client, cast):
    wrong_password = _sign_in(client, "pat@example.org", "not the right password")
    unknown_account = _sign_in(Client(), "nobody@example.org", "not the right password")
    assert wrong_password.status_code == unknown_account.status_code == 200
    assert _error_summary(wrong_password) == _error_summary(unknown_account)
    assert MISMATCH in _error_summary(unknown_account)


def test_an_unknown_account_still_costs_a_password_hash(client, cast, counting_hasher):
    _sign_in(client, "pat@example.org", "not the right password")
    for_known_account = len(counting_hasher)
    assert set(counting_hasher) == {"verify"}
    counting_hasher.clear()
    _sign_in(Client(), "nobody@example.org", "not the right password")
    for_unknown_account = len(counting_hasher)
    assert for_known_account >= 1
    # No account to check against, so a throwaway hash is made instead: as many hashes either
    # way, so the response time does not tell whether the account exists.
    assert set(counting_hasher) == {"encode"}
    assert for_unknown_account == for_known_account


def test_a_failed_sign_in_is_audited_without_naming_an_account(client, cast):
    _sign_in(client, "pat@example.org", "not the right password")
    event = AuditEvent.objects.get()
    assert event.action == AuditAction.SIGN_IN_FAILED
    assert event.outcome == AuditOutcome.DENIED
    assert event.actor is None
    assert event.patient is None
    assert event.object_type == "session"
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_repeated_failures_lock_the_address_even_against_the_right_password(client, cast, settings):
    # The configured limit per account on an unknown browser: five failures in five minutes.
    assert settings.CAREBRIDGE_SIGN_IN_FAILURES_PER_ACCOUNT == 5
    assert settings.CAREBRIDGE_SIGN_IN_WINDOW_SECONDS == 300
    for _ in range(5):
        response = _sign_in(client, "pat@example.org", "not the right password")
        assert MISMATCH in response.content.decode()
    response = _sign_in(client, "pat@example.org", TEST_PASSWORD)
    assert response.status_code == 200
    assert TOO_MANY in _error_summary(response)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 5


def test_the_lock_is_per_address(client, cast):
    for _ in range(5):
        _sign_in(client, "pat@example.org", "not the right password")
    response = _sign_in(client, "sam@example.org", TEST_PASSWORD)
    assert response.status_code == 302


def test_sign_in_ignores_a_next_address_on_another_site(client, cast):
    response = _sign_in(client, "pat@example.org", TEST_PASSWORD, next="https://evil.example/")
    assert response.status_code == 302
    # Pat's first sign-in leads to the set-up checklist (accounts/tests/test_checklist.py).
    assert response["Location"] == "/account/welcome/"


def test_sign_in_follows_a_next_address_on_this_site(client, cast):
    response = _sign_in(client, "pat@example.org", TEST_PASSWORD, next="/help/")
    assert response["Location"] == "/help/"


def test_signing_out_is_audited(client, cast):
    _sign_in(client, "pat@example.org", TEST_PASSWORD)
    response = client.post("/account/logout/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL
    event = AuditEvent.objects.filter(action=AuditAction.SIGN_OUT).get()
    assert event.actor == cast.patient_user
    assert event.object_type == "session"
    assert "_auth_user_id" not in client.session


def _main(response) -> str:
    match = re.search(r"<main.*?</main>", response.content.decode(), re.S)
    assert match is not None
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", match.group(0))


def test_password_reset_shows_the_same_page_for_known_and_unknown_addresses(
    client, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/account/password/reset/", {"email": "pat@example.org"})
        unknown = Client().post("/account/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password/reset/done/"
    known_page = client.get(known["Location"])
    unknown_page = Client().get(unknown["Location"])
    assert _main(known_page) == _main(unknown_page)
    assert "If that address belongs to a portal account" in _main(known_page)
