"""Whether this process was asked to stop: long tasks read it between units of work.

The worker command sets the flag on SIGTERM or SIGINT. A task that sees it saves what it has
done, hands the rest back to the queue and returns, so the worker exits within seconds instead
of finishing a long import first. Outside a worker the flag is never set.
"""

from __future__ import annotations

import threading

_stopping = threading.Event()


def is_stopping() -> bool:
    """True once this process has been asked to stop."""
    return _stopping.is_set()


def request_stop() -> None:
    _stopping.set()


def clear_stop() -> None:
    """Forget a stop request (a new worker in the same process, or a test)."""
    _stopping.clear()
