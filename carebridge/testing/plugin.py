"""Pytest fixtures shared by every app's tests (loaded with `-p carebridge.testing.plugin`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.test import Client

if TYPE_CHECKING:
    from carebridge.testing.personas import Cast

# Django models are imported inside fixtures: this plugin loads before Django is set up.


@pytest.fixture(scope="session")
def _audit_checkpoint_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("audit")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, _audit_checkpoint_dir):
    """Fast hashing, immediate tasks, in-memory mail, and no rate-limit state between tests."""
    # Argon2 is deliberately slow; tests that check hashing itself put it back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The audit sealer's checkpoints go to a temporary folder, never to the repository's var/.
    settings.CAREBRIDGE_AUDIT_CHECKPOINT_FILE = _audit_checkpoint_dir / "checkpoints.jsonl"
    from django.core.cache import cache

    cache.clear()
    yield
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
