"""Pytest fixtures shared by every app's tests (loaded with `-p carebridge.testing.plugin`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.test import Client

if TYPE_CHECKING:
    from carebridge.testing.personas import Cast
    from carebridge.testing.smtp import Relay

# Django models are imported inside fixtures: this plugin loads before Django is set up.


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Fast hashing, immediate tasks, in-memory mail, and no rate-limit state between tests."""
    # Argon2 is deliberately slow; tests that check hashing itself put it back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture
def relay_down(settings) -> None:
    """The mail relay is down: Django's SMTP backend aimed at a port nobody listens on."""
    from carebridge.testing.smtp import closed_port

    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()


@pytest.fixture
def smtp_relay(settings) -> Iterator[Relay]:
    """A real (tiny) SMTP relay on a local port, and Django's SMTP backend aimed at it."""
    from carebridge.testing.smtp import start_relay

    relay, server = start_relay()
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", relay.port
    yield relay
    server.shutdown()
    server.server_close()


@pytest.fixture
def cast(db) -> Cast:
    from carebridge.testing.personas import build_cast

    return build_cast()


@pytest.fixture
def cast_with_records(cast: Cast) -> Cast:
    """The cast, with a sample health record for Pat and one for Sam."""
    from carebridge.testing.personas import add_records

    return add_records(cast)


@pytest.fixture
def patient_client(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.patient_user)
    return client


@pytest.fixture
def admin_client_mfa(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.clinic_admin)
    return client
