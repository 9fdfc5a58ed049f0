"""A fixed-window attempt counter in the shared cache (Redis in production)."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(action: str, subject: str) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"ratelimit:{action}:{digest}"


def is_limited(action: str, subject: str, *, limit: int) -> bool:
    """Whether `subject` has used up its `limit` attempts at `action` in the current window."""
    return int(cache.get(_key(action, subject), 0)) >= limit


def count_attempt(action: str, subject: str, *, window_seconds: int) -> int:
    """Count one attempt; the window starts with the first attempt."""
    key = _key(action, subject)
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window_seconds)
        return 1
