"""Production settings refuse to start when unsafe, and are strict when they do start."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from jwcrypto import jwk

from carebridge import settings as carebridge_settings

GOOD_KEY = "k7Qx-M2rd_9TwH-p4Lz-8VbN-c3Fj-Yh6S-w1Ge-R5tA-uD0m-Zq2X"
GOOD_AUDIT_KEY = "a9Wd-3Kp_Ls8-Qm2T-x7Vb-N4cH-j6Rf-Y1gZ-e5Ut-P0oS-k8Mi"
# A production ID-token signing key, made for this run (never the committed development one).
GOOD_OIDC_KEY = (
    jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None).decode()
)
PRINT_SECURITY = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
    "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG)"
)


def _start(code: str = "import django; django.setup()", **env: str) -> subprocess.CompletedProcess:
    """Start Django in a fresh process with only the given environment."""
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "carebridge.settings",
        "CAREBRIDGE_MODE": "production",
        "CAREBRIDGE_AUDIT_KEY": GOOD_AUDIT_KEY,
        # The payment provider's own checks are in billing's tests (test_payment_settings).
        "CAREBRIDGE_ALLOW_TEST_PAYMENTS": "1",
        "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY": GOOD_OIDC_KEY,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "problem"),
    [
        (
            {"DEBUG": "1", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "portal.example.org"},
            "DEBUG is on",
        ),
        ({"ALLOWED_HOSTS": "portal.example.org"}, "SECRET_KEY is missing"),
        (
            {
                "SECRET_KEY": carebridge_settings.DEVELOPMENT_SECRET_KEY,
                "ALLOWED_HOSTS": "portal.example.org",
            },
            "SECRET_KEY is the public development key",
        ),
        (
            {"SECRET_KEY": "short-key", "ALLOWED_HOSTS": "portal.example.org"},
            "SECRET_KEY is too weak",
        ),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS is empty"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS contains '*'"),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "portal.example.org",
                "CAREBRIDGE_AUDIT_KEY": "",
            },
            "CAREBRIDGE_AUDIT_KEY is missing",
        ),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "portal.example.org",
                "CAREBRIDGE_AUDIT_KEY": carebridge_settings.DEVELOPMENT_AUDIT_KEY,
            },
            "CAREBRIDGE_AUDIT_KEY is the public development key",
        ),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "portal.example.org",
                "CAREBRIDGE_AUDIT_KEY": "short-audit-key",
            },
            "CAREBRIDGE_AUDIT_KEY is too weak",
        ),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "portal.example.org",
                "CAREBRIDGE_AUDIT_KEY": GOOD_KEY,
            },
            "CAREBRIDGE_AUDIT_KEY is SECRET_KEY",
        ),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "portal.example.org",
                "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY": "",
            },
            "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY is missing",
        ),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "portal.example.org",
                "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY": (
                    carebridge_settings.DEVELOPMENT_OIDC_RSA_PRIVATE_KEY
                ),
            },
            "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY is the public development key",
        ),
        (
            {
                "SECRET_KEY": GOOD_KEY,
                "ALLOWED_HOSTS": "portal.example.org",
                "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY": "not a key",
            },
            "CAREBRIDGE_OIDC_RSA_PRIVATE_KEY is not a private key in PEM form",
        ),
    ],
)
def test_production_refuses_to_start_and_names_the_problem(env, problem):
    result = _start(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: Refusing to start in production" in result.stderr
    assert problem in result.stderr


def test_every_problem_is_named_at_once():
    result = _start(DEBUG="true", CAREBRIDGE_AUDIT_KEY="")
    assert result.returncode != 0
    assert "DEBUG is on" in result.stderr
    assert "SECRET_KEY is missing" in result.stderr
    assert "CAREBRIDGE_AUDIT_KEY is missing" in result.stderr
    assert "ALLOWED_HOSTS is empty" in result.stderr


def test_a_safe_production_configuration_starts_with_strict_cookies_and_https():
    result = _start(PRINT_SECURITY, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="portal.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True True 31536000 True False"


def test_development_mode_starts_with_nothing_set():
    result = _start(PRINT_SECURITY, CAREBRIDGE_MODE="development")
    assert result.returncode == 0, result.stderr
    # Plain HTTP on a laptop: no secure-only cookies, no HSTS, no redirect to HTTPS.
    assert result.stdout.strip() == "False False True 0 False True"


def test_an_unknown_mode_is_refused():
    result = _start(CAREBRIDGE_MODE="staging")
    assert result.returncode != 0
    assert "CAREBRIDGE_MODE must be 'development' or 'production'" in result.stderr


def test_sessions_end_when_the_browser_closes_and_cookies_stay_first_party():
    assert carebridge_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert carebridge_settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert carebridge_settings.CSRF_COOKIE_HTTPONLY is True
    assert carebridge_settings.SESSION_COOKIE_AGE == 12 * 3600
