"""Race tests: the same call made by several people at the same moment, on PostgreSQL only.

SQLite serialises every write, so a race cannot happen there; PostgreSQL runs the calls at once,
each on its own connection, as gunicorn's workers would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection, connections


def postgres_race(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a race test: skipped on SQLite (saying `what` needs PostgreSQL), and run with real
    commits so that each thread sees the others' work."""

    def mark(test: Callable[..., Any]) -> Callable[..., Any]:
        skip = pytest.mark.skipif(
            connection.vendor != "postgresql",
            reason=f"{what} need PostgreSQL: SQLite serialises every write.",
        )
        commits = pytest.mark.django_db(transaction=True, serialized_rollback=True)
        return skip(commits(test))

    return mark


def at_the_same_moment(call: Callable[..., Any], arguments: Sequence[tuple[Any, ...]]) -> list[Any]:
    """Call `call(*args)` for each tuple of `arguments`, each on its own thread and database
    connection, all released together; return what each returned or raised (in finishing order)."""
    barrier = threading.Barrier(len(arguments))
    outcomes: list[Any] = []

    def one(args: tuple[Any, ...]) -> None:
        try:
            barrier.wait()
            outcomes.append(call(*args))
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(args,)) for args in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
