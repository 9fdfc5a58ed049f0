"""Security headers on real responses, and the templates that keep the CSP workable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)
_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_csp_is_exactly_the_configured_policy_and_forbids_inline_script(client):
    response = client.get("/account/login/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy == settings.CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


def test_standard_security_headers(client):
    response = client.get("/account/login/")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=(), payment=()"


def test_headers_are_on_error_responses_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert len(response["X-Request-ID"]) == 32


def test_every_response_gets_a_fresh_request_id(client):
    first = client.get("/help/")["X-Request-ID"]
    second = client.get("/help/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


def test_a_well_formed_incoming_request_id_is_echoed(client):
    response = client.get("/help/", headers={"X-Request-ID": "lb-2026.11.22_abc123"})
    assert response["X-Request-ID"] == "lb-2026.11.22_abc123"


@pytest.mark.parametrize(
    "incoming",
    ["short", "has spaces in it", "x" * 65, "<script>alert(1)</script>", "id\r\nSet-Cookie: a=b"],
)
def test_a_malformed_incoming_request_id_is_replaced(client, incoming):
    response = client.get("/help/", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_on_secure_requests():
    response = Client().get("/help/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_hsts_is_not_sent_over_plain_http():
    response = Client().get("/help/")
    assert "Strict-Transport-Security" not in response


def _project_templates() -> list[Path]:
    roots = [BASE_DIR / "templates", *sorted((BASE_DIR / "carebridge").glob("*/templates"))]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_the_template_search_finds_the_project_templates():
    names = {path.relative_to(BASE_DIR).as_posix() for path in _project_templates()}
    assert "templates/base.html" in names
    assert "templates/account/login.html" in names
    assert "carebridge/home/templates/home/home.html" in names


def _inline_executable_scripts(text: str) -> list[str]:
    found = []
    for match in _SCRIPT_TAG.finditer(text):
        attributes = match.group(1)
        if re.search(r"\bsrc\s*=", attributes):
            continue
        if re.search(r"""\btype\s*=\s*["']application/json["']""", attributes):
            continue
        found.append(match.group(0))
    return found


def test_the_script_check_catches_what_it_must():
    assert _inline_executable_scripts("<script>alert(1)</script>") == ["<script>"]
    assert _inline_executable_scripts('<script type="module">x()</script>') != []
    assert _inline_executable_scripts('<script src="/static/a.js"></script>') == []
    assert _inline_executable_scripts('<script type="application/json">{}</script>') == []
    assert _EVENT_HANDLER.search('<button onclick="go()">') is not None
    assert _EVENT_HANDLER.search('<a href="/x" data-on="y">') is None


@pytest.mark.parametrize(
    "path", _project_templates(), ids=lambda p: p.relative_to(BASE_DIR).as_posix()
)
def test_no_template_has_inline_script_or_event_handlers(path):
    text = path.read_text()
    assert _inline_executable_scripts(text) == []
    assert _EVENT_HANDLER.search(text) is None


@pytest.mark.parametrize(
    "incoming", ["abcdefgh\n", "abcdefgh\r\n", "id with spaces", "é" * 10, "a" * 65, "<b>x</b>x"]
)
def test_a_malformed_request_id_never_reaches_the_audit_trail(client, cast, incoming):
    from carebridge.audit.models import AuditEvent

    client.force_login(cast.patient_user)
    response = client.get("/account/activity/", headers={"X-Request-ID": incoming})
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert event.request_id == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", event.request_id)


def test_a_well_formed_request_id_is_stored_as_sent(client, cast):
    from carebridge.audit.models import AuditEvent

    client.force_login(cast.patient_user)
    well_formed = "3f1c2a9e-0b7d-4c55-9f00-1a2b3c4d5e6f"
    client.get("/account/activity/", headers={"X-Request-ID": well_formed})
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event is not None
    assert event.request_id == well_formed


def test_the_audit_service_refuses_a_malformed_id_whatever_set_it(rf, cast):
    from carebridge.audit.models import AuditAction
    from carebridge.audit.services import record_event

    request = rf.get("/")
    request.request_id = "bad id\n"
    event = record_event(
        actor=cast.patient_user, action=AuditAction.VIEW, object_type="account", request=request
    )
    assert event.request_id == ""
