"""The shared attempt counters: exact limits, windows, give-backs, on the database and Redis."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
import time_machine

from carebridge.core.models import AttemptCounter
from carebridge.lib import ratelimit

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def _delete_test_keys() -> None:
    client = redis.Redis.from_url(REDIS_TEST_URL)
    for key in client.scan_iter("ratelimit:test-*"):
        client.delete(key)


@pytest.fixture(params=["database", "redis"])
def store(request: pytest.FixtureRequest, settings) -> Iterator[str]:
    """Each test runs once on the database counters and once on Redis (only this test's keys)."""
    if request.param == "redis":
        settings.REDIS_URL = REDIS_TEST_URL
        _delete_test_keys()
        yield "redis"
        _delete_test_keys()
    else:
        settings.REDIS_URL = ""
        yield "database"


def test_take_allows_exactly_the_limit(store: str) -> None:
    allowed = [
        ratelimit.take("test-take", "198.51.100.7", limit=3, window_seconds=60) for _ in range(5)
    ]
    assert allowed == [True, True, True, False, False]
    # Refused tries are not counted: the count stays at the limit.
    assert ratelimit.is_limited("test-take", "198.51.100.7", limit=3) is True
    assert ratelimit.is_limited("test-take", "198.51.100.7", limit=4) is False


def test_subjects_are_counted_apart(store: str) -> None:
    for _ in range(2):
        ratelimit.take("test-apart", "one", limit=2, window_seconds=60)
    assert ratelimit.take("test-apart", "one", limit=2, window_seconds=60) is False
    assert ratelimit.take("test-apart", "two", limit=2, window_seconds=60) is True


def test_give_back_frees_one_attempt(store: str) -> None:
    for _ in range(2):
        ratelimit.take("test-give", "subject", limit=2, window_seconds=60)
    ratelimit.give_back("test-give", "subject")
    assert ratelimit.take("test-give", "subject", limit=2, window_seconds=60) is True
    assert ratelimit.take("test-give", "subject", limit=2, window_seconds=60) is False


def test_give_back_without_a_counter_creates_none(store: str) -> None:
    ratelimit.give_back("test-none", "subject")
    assert [
        ratelimit.take("test-none", "subject", limit=1, window_seconds=60) for _ in range(2)
    ] == [True, False]


def test_the_window_starts_with_the_first_attempt_and_ends_after_it(store: str) -> None:
    if store == "redis":
        # Redis keeps its own clock: a one-second window, waited out.
        assert ratelimit.take("test-window", "s", limit=1, window_seconds=1) is True
        assert ratelimit.take("test-window", "s", limit=1, window_seconds=1) is False
        time.sleep(1.1)
        assert ratelimit.take("test-window", "s", limit=1, window_seconds=1) is True
        return
    with time_machine.travel(time.time(), tick=False) as clock:
        assert ratelimit.take("test-window", "s", limit=1, window_seconds=60) is True
        clock.shift(59)
        assert ratelimit.take("test-window", "s", limit=1, window_seconds=60) is False
        clock.shift(1)
        assert ratelimit.take("test-window", "s", limit=1, window_seconds=60) is True


def test_clear_forgets_every_attempt(store: str) -> None:
    ratelimit.take("test-clear", "s", limit=1, window_seconds=60)
    ratelimit.clear("test-clear", "s")
    assert ratelimit.take("test-clear", "s", limit=1, window_seconds=60) is True


def test_count_attempt_returns_the_running_count(store: str) -> None:
    counts = [ratelimit.count_attempt("test-count", "s", window_seconds=60) for _ in range(3)]
    assert counts == [1, 2, 3]


def test_the_database_stores_a_digest_not_the_subject(settings) -> None:
    settings.REDIS_URL = ""
    ratelimit.take("test-digest", "pat@example.org", limit=1, window_seconds=60)
    counter = AttemptCounter.objects.get()
    assert "pat@example.org" not in counter.key
    assert counter.key.startswith("ratelimit:test-digest:")
    assert counter.count == 1
