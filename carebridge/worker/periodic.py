"""Periodic work run by the worker on idle ticks: the functions `CAREBRIDGE_WORKER_PERIODIC`
names (dotted paths, called with no arguments), at most every
`CAREBRIDGE_WORKER_PERIODIC_SECONDS`.

A path that cannot be imported is logged once and skipped, so one missing function never stops
the worker; a function that raises is logged (its exception's type only, never its text, which
may quote data) and called again next time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

Job = Callable[[], object]


def load_jobs(paths: Sequence[str]) -> list[Job]:
    """The callables the paths name, leaving out (and logging) those that cannot be loaded."""
    jobs: list[Job] = []
    for path in paths:
        try:
            job = import_string(path)
        except ImportError:
            logger.warning("Periodic function %s cannot be imported: skipped.", path)
            continue
        if not callable(job):
            logger.warning("Periodic function %s is not callable: skipped.", path)
            continue
        jobs.append(job)
    return jobs


class PeriodicRunner:
    """Calls every job at most once per `every` seconds, when asked on an idle tick."""

    def __init__(
        self, jobs: Sequence[Job], every: float, clock: Callable[[], float] = time.monotonic
    ):
        self.jobs = list(jobs)
        self.every = every
        self.clock = clock
        self.last_run: float | None = None

    def run_if_due(self) -> bool:
        """Run the jobs if they are due; True if they ran."""
        now = self.clock()
        if not self.jobs or (self.last_run is not None and now - self.last_run < self.every):
            return False
        self.last_run = now
        for job in self.jobs:
            _run(job)
        return True


def _run(job: Job) -> None:
    try:
        job()
    except Exception as error:
        name = getattr(job, "__qualname__", repr(job))
        logger.error("Periodic function %s failed: %s", name, type(error).__name__)
