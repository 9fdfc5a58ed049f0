"""Oversized and malformed input gets field errors or a 4xx, never a 500."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client

from carebridge.accounts.tests.sign_in_steps import LOGIN_URL

pytestmark = pytest.mark.django_db

ENROL_URL = "/account/enrol/"
TEN_KB = "K" * 10_240


@pytest.fixture
def client() -> Client:
    # Any exception inside a view surfaces as a 500 response the test can see.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"code": TEN_KB, "birth_date": "1990-01-31"},
            "Ensure this value has at most 40 characters (it has 10240).",
        ),
        ({"code": "K7QX-M2RD-9TWH", "birth_date": "2024-13-45"}, "Enter a valid date."),
        ({"code": "K7QX-M2RD-9TWH", "birth_date": TEN_KB}, "Enter a valid date."),
        ({"code": "K7QX-M2RD-9TWH", "birth_date": "1850-01-01"}, "Enter your real date of birth."),
        ({"code": "K7QX-M2RD-9TWH", "birth_date": "9999-12-31"}, "Enter your real date of birth."),
        ({"code": "K7QX\x00M2RD", "birth_date": "1990-01-31"}, "Null characters are not allowed."),
        ({"birth_date": "1990-01-31"}, "This field is required."),
        ({"code": "K7QX-M2RD-9TWH"}, "This field is required."),
        ({}, "This field is required."),
    ],
)
def test_enrolment_form_gives_field_errors(client, cast, data, error):
    response = client.post(ENROL_URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert error in page
    assert 'aria-invalid="true"' in page


def test_a_huge_enrolment_link_token_is_just_not_found(client):
    response = client.get(f"/account/enrol/verify/{TEN_KB}/")
    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"login": TEN_KB + "@example.org", "password": "a long calm river"},
        {"login": "pat@example.org", "password": TEN_KB},
        {"login": "not an address", "password": "a long calm river"},
        {"login": "pat\x00@example.org", "password": "a long calm river"},
        {"login": "pat@example.org"},
        {"password": "a long calm river"},
        {},
    ],
)
def test_login_form_gives_field_errors(client, cast, data):
    response = client.post(LOGIN_URL, data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_with_a_huge_address_gives_a_field_error(client):
    response = client.post("/account/password/reset/", {"email": TEN_KB + "@example.org"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_request_body_over_the_limit_is_refused(client, settings):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(LOGIN_URL, {"login": body, "password": "x"})
    assert response.status_code == 400
    assert "Something was wrong with the request" in response.content.decode()


def test_too_many_form_fields_are_refused(client, settings):
    data = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(LOGIN_URL, data)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/account/session/status/"),
        ("get", "/account/session/keepalive/"),
        ("put", "/account/session/keepalive/"),
        ("delete", "/account/session/status/"),
    ],
)
def test_session_endpoints_refuse_the_wrong_method(patient_client, method, url):
    response = getattr(patient_client, method)(url)
    assert response.status_code == 405


def test_session_status_ignores_junk_in_the_query(patient_client):
    response = patient_client.get("/account/session/status/?seconds_left=99999&%ff=%00")
    assert response.status_code == 200
    assert response.json()["seconds_left"] <= 900


def test_keepalive_with_a_junk_body_still_answers(patient_client):
    with time_machine.travel(time.time(), tick=False):
        response = patient_client.post(
            "/account/session/keepalive/",
            data=b"\xff\xfe{not json",
            content_type="application/json",
        )
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "seconds_left": 900}
