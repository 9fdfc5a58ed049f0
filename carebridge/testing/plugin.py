"""Pytest fixtures shared by every app's tests (loaded with `-p carebridge.testing.plugin`)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

if TYPE_CHECKING:
    from carebridge.testing.personas import Cast
    from carebridge.testing.smtp import Relay

# Django models are imported inside fixtures: this plugin loads before Django is set up.


def _test_settings(storages: dict[str, Any]) -> dict[str, Any]:
    return {
        # Argon2 is deliberately slow; tests that check hashing itself put it back.
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "STORAGES": {
            **storages,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        # Each test starts with an empty cache of its own. The deployment's database cache would
        # keep allauth's rate-limit entries across tests that commit (the browser journeys);
        # the attempt counters are rows in the test database whatever the cache.
        "CACHES": {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "kept": django_settings.CACHES["kept"],
        },
        # Every test client loads the middleware again; WhiteNoise would list every static
        # file each time. Looking files up when asked serves the same files.
        "WHITENOISE_AUTOREFRESH": True,
    }


@pytest.fixture(scope="session")
def _audit_checkpoint_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("audit")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, _audit_checkpoint_dir):
    """Fast hashing, immediate tasks, in-memory mail, and no rate-limit state between tests."""
    for name, value in _test_settings(settings.STORAGES).items():
        setattr(settings, name, value)
    # The audit sealer's checkpoints go to a temporary folder, never to the repository's var/.
    settings.CAREBRIDGE_AUDIT_CHECKPOINT_FILE = _audit_checkpoint_dir / "checkpoints.jsonl"
    # Each test starts in the site's language: a request in an earlier test (a Spanish
    # reader's page) leaves its language active in the thread, as a server's next request
    # would replace it.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    from django.core.cache import cache, caches

    # What a process keeps for a person is keyed by user and kept key: a test's rolled
    # back changes (or another test's users, with the same ids) must not meet them.
    from carebridge.accounts.kept import start_request

    start_request()
    for kept in (cache, caches["kept"]):
        kept.clear()
    yield
    for kept in (cache, caches["kept"]):
        kept.clear()


# --- The cast, built once per test module where that is safe ---------------------------------
#
# Building the cast and its records is most of what a small test costs. Where every test of a
# module that touches the database asks for the cast, and none needs real commits, the module
# builds it once inside a transaction of its own; each test runs in a savepoint inside it
# (pytest-django's ordinary `db` handling), so whatever a test changes is rolled back, and it
# gets a deep copy of the cast, so changes to the Python objects are not seen by the next test
# either. Any other module builds the cast for each test, as before.

_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


# Fixtures that move the clock before the cast is built (the scheduling and messaging tests'
# `frozen`, the staff inbox's `frozen_clock`): a cast built once, at the real time, is not the
# one those tests expect. Any fixture whose code uses time-machine counts.
_CLOCK_LIBRARIES = {"time_machine"}


def _fixtures(item: pytest.Item) -> set[str]:
    return set(getattr(item, "fixturenames", ()))


def _uses_database(item: pytest.Item) -> bool:
    return "db" in _fixtures(item) or item.get_closest_marker("django_db") is not None


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool(_TRANSACTIONAL_FIXTURES & _fixtures(item))


def _moves_the_clock(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        _CLOCK_LIBRARIES & set(definition.func.__code__.co_names)
        for definitions in info.name2fixturedefs.values()
        for definition in definitions
    )


def _module_items(request: pytest.FixtureRequest) -> list[pytest.Item]:
    module = request.node
    return [item for item in request.session.items if item.parent is module]


def _shared_variant(items: list[pytest.Item]) -> str | None:
    """'records' or 'plain' when the module can share one cast; None when it cannot."""
    database_items = [item for item in items if _uses_database(item)]
    if any(_is_transactional(item) or _moves_the_clock(item) for item in items):
        return None
    if not database_items or any("cast" not in _fixtures(item) for item in database_items):
        return None
    if all("cast_with_records" in _fixtures(item) for item in database_items):
        return "records"
    return "plain"


@pytest.fixture(scope="module")
def _module_cast(request, django_db_setup, django_db_blocker) -> Iterator[tuple[str, bytes] | None]:
    variant = _shared_variant(_module_items(request))
    if variant is None:
        yield None
        return
    from django.db import transaction

    outer = transaction.atomic()
    # Code under test may open durable blocks; the test case's own savepoints allow that.
    outer._from_testcase = True  # type: ignore[attr-defined]
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            cast = _build_cast(with_records=variant == "records")
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    # Each test gets its own copy (a test may change the objects it is given): unpickling is a
    # tenth of the cost of copy.deepcopy, which was a third of a matrix test's time.
    yield variant, pickle.dumps(cast, protocol=pickle.HIGHEST_PROTOCOL)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _build_cast(*, with_records: bool) -> Cast:
    """The cast as a test would build it: with the tests' settings (fast password hashes)."""
    from django.conf import settings
    from django.test import override_settings

    from carebridge.testing.personas import add_records, build_cast

    with override_settings(**_test_settings(settings.STORAGES)):
        cast = build_cast()
        return add_records(cast) if with_records else cast


@pytest.fixture(scope="module")
def persona_cookies(_module_cast, django_db_blocker) -> dict[str, SimpleCookie]:
    """Each persona of the matrix signed in once for the module (inside its shared transaction,
    so the sessions are there for every test and gone after the module): the cookies a client
    needs. Empty when the module does not share a cast; the caller then signs in per test."""
    if _module_cast is None:
        return {}
    from django.conf import settings
    from django.test import override_settings

    from carebridge.testing.clients import persona_client
    from carebridge.testing.personas import PERSONAS

    cast = pickle.loads(_module_cast[1])  # noqa: S301 (our own bytes, this process)
    with django_db_blocker.unblock(), override_settings(**_test_settings(settings.STORAGES)):
        return {persona: persona_client(cast, persona).cookies for persona in PERSONAS}


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
def cast(db, _module_cast) -> Cast:
    if _module_cast is not None:
        shared: Cast = pickle.loads(_module_cast[1])  # noqa: S301 (our own bytes, this process)
        return shared
    from carebridge.testing.personas import build_cast

    return build_cast()


@pytest.fixture
def cast_with_records(cast: Cast, _module_cast) -> Cast:
    """The cast, with a sample health record for Pat and one for Sam."""
    if _module_cast is not None and _module_cast[0] == "records":
        return cast
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
