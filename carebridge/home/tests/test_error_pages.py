"""Error pages: plain words in the portal's layout, never a stack trace or a setting."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from carebridge.home import views as home_views

pytestmark = pytest.mark.django_db

SECRET_DETAIL = "kaboom: MRN RFC-1001 in a traceback"


def _raise_error(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_DETAIL)


def _deny(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied(SECRET_DETAIL)


# This module doubles as a URLconf: the real portal plus two views that fail on purpose.
urlpatterns = [
    path("boom/", _raise_error),
    path("denied/", _deny),
    path("", include("carebridge.urls")),
]
handler400 = "carebridge.home.views.bad_request"
handler403 = "carebridge.home.views.permission_denied"
handler404 = "carebridge.home.views.page_not_found"
handler500 = "carebridge.home.views.server_error"


def exploding_context_processor(request: HttpRequest) -> dict[str, object]:
    raise RuntimeError("the database is down")


def _assert_plain_error_page(response, heading: str) -> str:
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert "In an emergency, call 911." in page
    for leak in ("Traceback", "SECRET_KEY", "settings", "DEBUG", "Django", "kaboom", "RFC-1001"):
        assert leak not in page, leak
    return page


def test_unknown_address_gives_the_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = _assert_plain_error_page(response, "Page not found")
    assert "There is no page here, or you do not have access to it." in page


def test_404_for_a_signed_in_patient(patient_client):
    response = patient_client.get("/no-such-page/")
    assert response.status_code == 404
    _assert_plain_error_page(response, "Page not found")


@override_settings(ROOT_URLCONF=__name__)
def test_an_exception_gives_the_500_page_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = _assert_plain_error_page(response, "Sorry, something went wrong")
    assert "The problem is ours, not yours." in page
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


def test_the_500_page_renders_even_when_a_context_processor_fails():
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(f"{__name__}.exploding_context_processor")
    with override_settings(TEMPLATES=templates):
        response = home_views.server_error(RequestFactory().get("/boom/"))
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_permission_denied_gives_the_403_page(client):
    response = client.get("/denied/")
    assert response.status_code == 403
    _assert_plain_error_page(response, "You cannot do that")


def test_a_form_without_a_valid_csrf_token_says_it_expired(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/login/", {"login": "pat@example.org", "password": "x"})
    assert response.status_code == 403
    page = _assert_plain_error_page(response, "This form has expired")
    assert "Go back, reload the page, and try again." in page
    assert "_auth_user_id" not in client.session


@override_settings(CAREBRIDGE_MAINTENANCE_MODE=True)
def test_maintenance_mode_answers_503_with_retry_after(client):
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "600"
    _assert_plain_error_page(response, "The portal is down for maintenance")
    assert client.post("/account/login/", {"login": "a@example.org"}).status_code == 503


@override_settings(CAREBRIDGE_MAINTENANCE_MODE=True)
def test_maintenance_mode_still_serves_the_stylesheet(client):
    response = client.get("/static/css/carebridge.css")
    assert response.status_code == 200


def test_a_disallowed_host_gives_the_400_page(client):
    response = client.get("/", headers={"Host": "attacker.example"})
    assert response.status_code == 400
    page = _assert_plain_error_page(response, "Something was wrong with the request")
    assert "attacker.example" not in page
