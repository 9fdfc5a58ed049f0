"""Sign-in, two-step and reset limits: the attacker's address and browser are slowed, never the
owner's own browser (OWASP's device cookie). Counts are exact: the limit's last try is answered,
the next is refused.

Cast: Pat (pat@example.org) is the account owner; "the attacker" knows Pat's address (and, in the
two-step tests, Pat's password) and signs in from another browser and address.
"""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.core import mail, signing
from django.http import HttpResponse
from django.test import Client

from carebridge.accounts.tests.sign_in_steps import sign_in, totp_code, wrong_totp_code
from carebridge.audit.models import AuditAction, AuditEvent
from carebridge.testing import factories
from carebridge.testing.personas import Cast

pytestmark = pytest.mark.django_db

MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."
AUTHENTICATE_URL = "/account/2fa/authenticate/"
RESET_URL = "/account/password/reset/"
TOO_MANY_RESETS = "Too many reset e-mails were asked for this address."
WRONG = "not the right password"
DEVICE_COOKIE = "carebridge_device"


def _attacker() -> Client:
    return Client(REMOTE_ADDR="203.0.113.66")


def _owner_browser(email: str = "pat@example.org") -> Client:
    """A browser the owner has signed in on before: it holds the device cookie."""
    browser = Client(REMOTE_ADDR="198.51.100.10")
    assert sign_in(browser, email).status_code == 302
    assert DEVICE_COOKIE in browser.cookies
    browser.post("/account/logout/")
    return browser


def _refused(response: HttpResponse) -> bool:
    return response.status_code == 200 and TOO_MANY in response.content.decode()


def _mismatch(response: HttpResponse) -> bool:
    return response.status_code == 200 and MISMATCH in response.content.decode()


def test_an_unknown_browser_gets_exactly_five_failures_per_account(cast: Cast) -> None:
    attacker = _attacker()
    for _ in range(5):
        assert _mismatch(sign_in(attacker, "pat@example.org", WRONG))
    # The sixth is refused before the password is checked, even the right one.
    assert _refused(sign_in(attacker, "pat@example.org"))
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 5


def test_the_owners_browser_gets_in_while_the_account_is_attacked(cast: Cast) -> None:
    owner = _owner_browser()
    attacker = _attacker()
    for _ in range(5):
        sign_in(attacker, "pat@example.org", WRONG)
    assert _refused(sign_in(attacker, "pat@example.org", WRONG))
    # Another unknown browser (a new phone) is locked out too, for the window.
    assert _refused(sign_in(Client(REMOTE_ADDR="192.0.2.1"), "pat@example.org"))
    response = sign_in(owner, "pat@example.org")
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(cast.patient_user.pk)


def test_the_owners_browser_has_its_own_five_failures(cast: Cast) -> None:
    owner = _owner_browser()
    for _ in range(5):
        assert _mismatch(sign_in(owner, "pat@example.org", WRONG))
    assert _refused(sign_in(owner, "pat@example.org"))
    # Its failures did not lock the account for other browsers.
    assert sign_in(_attacker(), "pat@example.org").status_code == 302


def test_a_device_cookie_for_another_account_counts_as_unknown(cast: Cast) -> None:
    sams_browser = _owner_browser("sam@example.org")
    for _ in range(5):
        sign_in(sams_browser, "pat@example.org", WRONG)
    assert _refused(sign_in(sams_browser, "pat@example.org"))


def test_a_forged_device_cookie_counts_as_unknown(cast: Cast) -> None:
    attacker = _attacker()
    attacker.cookies[DEVICE_COOKIE] = signing.dumps(
        {"d": "forged", "a": [cast.patient_user.pk]}, salt="not our salt"
    )
    for _ in range(5):
        sign_in(attacker, "pat@example.org", WRONG)
    assert _refused(sign_in(attacker, "pat@example.org"))


def test_one_address_gets_exactly_ten_failures_across_accounts(cast: Cast) -> None:
    attacker = _attacker()
    for number in range(10):
        assert _mismatch(sign_in(attacker, f"someone{number}@example.org", WRONG))
    assert _refused(sign_in(attacker, "pat@example.org"))
    # The same accounts from another address are still open.
    assert sign_in(Client(REMOTE_ADDR="192.0.2.1"), "pat@example.org").status_code == 302


def test_a_right_password_does_not_count(cast: Cast) -> None:
    attacker = _attacker()
    for _ in range(4):
        sign_in(attacker, "pat@example.org", WRONG)
    assert sign_in(Client(REMOTE_ADDR="192.0.2.1"), "pat@example.org").status_code == 302
    # Four failures, a success that gave its attempt back: one failure is left.
    assert _mismatch(sign_in(attacker, "pat@example.org", WRONG))
    assert _refused(sign_in(attacker, "pat@example.org", WRONG))


def test_an_address_without_an_account_is_limited_the_same_way(db: None) -> None:
    attacker = _attacker()
    for _ in range(5):
        assert _mismatch(sign_in(attacker, "nobody@example.org", WRONG))
    assert _refused(sign_in(attacker, "nobody@example.org", WRONG))


def test_the_device_cookie_is_signed_http_only_and_names_no_address(cast: Cast) -> None:
    browser = Client()
    sign_in(browser, "pat@example.org")
    cookie = browser.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert "pat@example.org" not in cookie.value
    data = signing.loads(cookie.value, salt="carebridge.accounts.device")
    assert data["a"] == [cast.patient_user.pk]
    # Signing in again on the same browser keeps its device id.
    browser.post("/account/logout/")
    sign_in(browser, "pat@example.org")
    again = signing.loads(browser.cookies[DEVICE_COOKIE].value, salt="carebridge.accounts.device")
    assert again["d"] == data["d"]


def test_two_step_codes_lock_unknown_browsers_but_not_the_owners(cast: Cast) -> None:
    secret = factories.enable_totp(cast.patient_user)
    with time_machine.travel(time.time(), tick=False) as clock:
        owner = Client(REMOTE_ADDR="198.51.100.10")
        sign_in(owner, "pat@example.org")
        assert owner.post(AUTHENTICATE_URL, {"code": totp_code(secret)}).status_code == 302
        owner.post("/account/logout/")
        # The attacker has the password but not the authenticator.
        attacker = _attacker()
        assert sign_in(attacker, "pat@example.org")["Location"] == AUTHENTICATE_URL
        for _ in range(5):
            response = attacker.post(AUTHENTICATE_URL, {"code": wrong_totp_code(secret)})
            assert "Incorrect code." in response.content.decode()
        response = attacker.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
        assert TOO_MANY in response.content.decode()
        assert "_auth_user_id" not in attacker.session
        # The owner's browser, with its device cookie, still gets in (with a fresh code).
        clock.shift(60)
        sign_in(owner, "pat@example.org")
        response = owner.post(AUTHENTICATE_URL, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(cast.patient_user.pk)


def test_reset_emails_are_limited_for_unknown_browsers_not_the_owners(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    owner = _owner_browser()
    attacker = _attacker()
    # The e-mails leave through the outbox once each request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert attacker.post(RESET_URL, {"email": "pat@example.org"}).status_code == 302
        response = attacker.post(RESET_URL, {"email": "pat@example.org"})
    assert response.status_code == 200
    assert TOO_MANY_RESETS in response.content.decode()
    assert len(mail.outbox) == 5
    with django_capture_on_commit_callbacks(execute=True):
        assert owner.post(RESET_URL, {"email": "pat@example.org"}).status_code == 302
    assert len(mail.outbox) == 6


def test_a_password_reset_unlocks_the_account_for_unknown_browsers(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    attacker = _attacker()
    for _ in range(5):
        sign_in(attacker, "pat@example.org", WRONG)
    # Pat, on a new phone, is locked out; a reset proves Pat holds the mailbox.
    phone = Client(REMOTE_ADDR="192.0.2.1")
    assert _refused(sign_in(phone, "pat@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        phone.post(RESET_URL, {"email": "pat@example.org"})
    link = re.search(r"https?://[^/\s]+(/account/password/reset/key/\S+/)", mail.outbox[-1].body)
    assert link is not None
    form_url = phone.get(link.group(1))["Location"]
    new_password = "a new and long passphrase"
    response = phone.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert sign_in(phone, "pat@example.org", new_password).status_code == 302


def test_two_step_codes_asked_again_when_signed_in_are_limited_too(cast: Cast) -> None:
    secret = factories.enable_totp(cast.patient_user)
    browser = Client()
    browser.force_login(cast.patient_user)
    for _ in range(5):
        response = browser.post("/account/2fa/reauthenticate/", {"code": wrong_totp_code(secret)})
        assert "Incorrect code." in response.content.decode()
    response = browser.post("/account/2fa/reauthenticate/", {"code": totp_code(secret)})
    assert TOO_MANY in response.content.decode()
