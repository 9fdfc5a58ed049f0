"""Pytest fixtures shared by every app's tests (loaded with `-p carebridge.testing.plugin`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client

if TYPE_CHECKING:
    from carebridge.testing.personas import Cast

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
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    # The database cache (the default without Redis) and the attempt counters are rows in the
    # test database, rolled back after each test; clearing them here would need database access
    # in tests that have none.
    cache = caches["default"]
    is_in_memory = not isinstance(cache, DatabaseCache)
    if is_in_memory:
        cache.clear()
    yield
    if is_in_memory:
        cache.clear()


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
