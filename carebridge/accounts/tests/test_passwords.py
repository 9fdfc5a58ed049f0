"""Password rules: Argon2id, 12 to 128 characters, a blocklist, and no composition rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings

from carebridge import settings as carebridge_settings
from carebridge.accounts.models import User
from carebridge.accounts.tests.sign_in_steps import reauthenticate
from carebridge.testing.factories import TEST_PASSWORD

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"
# Unrelated lowercase words: long, memorable, and on no list of common passwords.
PHRASE = "lantern quiet maple harbour violet engine copper willow "


def _of_length(length: int) -> str:
    return (PHRASE * 4)[:length]


def _messages(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def test_argon2_is_the_preferred_hasher():
    assert carebridge_settings.PASSWORD_HASHERS[0] == ARGON2
    assert carebridge_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(PASSWORD_HASHERS=[ARGON2])
def test_new_passwords_are_hashed_with_argon2id():
    encoded = make_password(TEST_PASSWORD)
    assert encoded.startswith("argon2$argon2id$")
    assert check_password(TEST_PASSWORD, encoded) is True
    assert check_password("something else entirely", encoded) is False


def test_eleven_characters_are_too_few():
    assert _messages(_of_length(11)) == [
        "This password is too short. It must contain at least 12 characters."
    ]


def test_twelve_characters_are_enough():
    assert _messages(_of_length(12)) == []


def test_a_common_password_is_refused_even_when_long_enough():
    assert len("password1234") == 12
    assert _messages("password1234") == ["This password is too common."]


def test_128_characters_are_allowed():
    assert _messages(_of_length(128)) == []


def test_129_characters_are_too_many():
    assert _messages(_of_length(129)) == [
        "This password is too long. It must be at most 128 characters."
    ]


@pytest.mark.parametrize(
    "password",
    ["aaaa bbbb cccc", "quiet maple harbour", "correcthorsebatterystaple", "lantern violet copper"],
)
def test_no_composition_rules(password):
    # Lowercase only, no digits, no symbols: fine, because length is what makes it strong.
    assert _messages(password) == []


@pytest.mark.django_db
def test_a_password_like_the_email_address_is_refused():
    user = User(email="riverside.patient@example.org", first_name="Pat", last_name="Rivera")
    assert _messages("riverside.patient", user) == [
        "The password is too similar to the e-mail address."
    ]


@pytest.mark.django_db
def test_the_change_password_form_applies_the_rules(cast, patient_client):
    reauthenticate(patient_client)
    response = patient_client.post(
        "/account/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": _of_length(129), "password2": _of_length(129)},
    )
    assert response.status_code == 200
    assert "This password is too long. It must be at most 128 characters." in (
        response.content.decode()
    )
    cast.patient_user.refresh_from_db()
    assert cast.patient_user.check_password(TEST_PASSWORD)


def test_the_help_text_states_both_limits():
    from django.contrib.auth.password_validation import password_validators_help_texts

    texts = password_validators_help_texts()
    assert "Your password must contain at least 12 characters." in texts
    assert "Your password can be up to 128 characters long." in texts
