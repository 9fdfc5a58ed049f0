"""Fixed-window attempt counters shared by every worker and server, exact under concurrency.

With `REDIS_URL` set the counters live in Redis (INCR on a key created with its expiry); without
it they live in the database (`core.AttemptCounter`, one atomic INSERT … ON CONFLICT UPDATE per
attempt). Either way every gunicorn worker and every app server sees the same count, and two
requests at the same instant cannot both take the last attempt: `take` counts first and refuses
when the count it got back is over the limit.

Keys are digests: no address, e-mail or account id is stored in clear.
"""

from __future__ import annotations

import functools
import hashlib
import random
import time
from typing import Protocol

import redis
from django.conf import settings
from django.db import connection

# One call in this many also deletes the database's expired counters.
_CLEANUP_ONE_IN = 200


class _Store(Protocol):
    def incr(self, key: str, window_seconds: int) -> int: ...
    def decr(self, key: str) -> None: ...
    def get(self, key: str) -> int: ...
    def delete(self, key: str) -> None: ...


class _RedisStore:
    # Decrement only a counter that still exists, so a late give-back cannot create one.
    _DECR_IF_EXISTS = (
        "if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end return 0"
    )

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.decr_if_exists = self.client.register_script(self._DECR_IF_EXISTS)

    def incr(self, key: str, window_seconds: int) -> int:
        # SET NX starts the window (with its expiry) only for the first attempt; INCR keeps it.
        pipe = self.client.pipeline(transaction=True)
        pipe.set(key, 0, ex=window_seconds, nx=True)
        pipe.incr(key)
        return int(pipe.execute()[1])

    def decr(self, key: str) -> None:
        self.decr_if_exists(keys=[key])

    def get(self, key: str) -> int:
        value = self.client.get(key)
        return int(value) if value is not None else 0

    def delete(self, key: str) -> None:
        self.client.delete(key)


class _DatabaseStore:
    _UPSERT = (
        "INSERT INTO core_attemptcounter (key, count, window_ends) VALUES (%s, 1, %s) "
        "ON CONFLICT (key) DO UPDATE SET "
        "count = CASE WHEN core_attemptcounter.window_ends <= %s THEN 1 "
        "ELSE core_attemptcounter.count + 1 END, "
        "window_ends = CASE WHEN core_attemptcounter.window_ends <= %s THEN excluded.window_ends "
        "ELSE core_attemptcounter.window_ends END "
        "RETURNING count"
    )

    def incr(self, key: str, window_seconds: int) -> int:
        now = time.time()
        if random.randrange(_CLEANUP_ONE_IN) == 0:
            self._delete_expired(now)
        with connection.cursor() as cursor:
            cursor.execute(self._UPSERT, [key, now + window_seconds, now, now])
            return int(cursor.fetchone()[0])

    def decr(self, key: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_attemptcounter SET count = count - 1 "
                "WHERE key = %s AND count > 0 AND window_ends > %s",
                [key, time.time()],
            )

    def get(self, key: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count FROM core_attemptcounter WHERE key = %s AND window_ends > %s",
                [key, time.time()],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def delete(self, key: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_attemptcounter WHERE key = %s", [key])

    def _delete_expired(self, now: float) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_attemptcounter WHERE window_ends <= %s", [now])


@functools.cache
def _redis_store(url: str) -> _RedisStore:
    return _RedisStore(url)


def _store() -> _Store:
    # Read at each call, so a test (or a server) can switch to Redis with the setting alone.
    url = getattr(settings, "REDIS_URL", "")
    return _redis_store(url) if url else _DatabaseStore()


def _key(action: str, subject: str) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"ratelimit:{action}:{digest}"


def take(action: str, subject: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt if `subject` has one left in the window; False (and nothing counted)
    when it has used all `limit`. The window starts with the first attempt."""
    key = _key(action, subject)
    store = _store()
    if store.incr(key, window_seconds) <= limit:
        return True
    store.decr(key)
    return False


def give_back(action: str, subject: str) -> None:
    """Uncount one attempt taken with `take` (a sign-in that succeeded was not a guess)."""
    _store().decr(_key(action, subject))


def is_limited(action: str, subject: str, *, limit: int) -> bool:
    """Whether `subject` has used up its `limit` attempts at `action` in the current window."""
    return _store().get(_key(action, subject)) >= limit


def count_attempt(action: str, subject: str, *, window_seconds: int) -> int:
    """Count one attempt and return the count; the window starts with the first attempt."""
    return _store().incr(_key(action, subject), window_seconds)


def clear(action: str, subject: str) -> None:
    """Forget every attempt `subject` made at `action` (after proof of ownership)."""
    _store().delete(_key(action, subject))
