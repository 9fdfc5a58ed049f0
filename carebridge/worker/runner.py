"""The lease-aware worker: django-tasks-db's `Worker`, run one task at a time, with a tick.

django-tasks-db's loop has no place for work between tasks, so `LeaseWorker.run` calls the
library's own loop in batch mode for at most one task at a time and, around it, renews its
lease, takes back tasks of silent workers, and runs periodic functions when idle. Claiming,
running and recording a task stay the library's.
"""

from __future__ import annotations

import logging
import random
import time
from types import FrameType

from django.db import DatabaseError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from carebridge.worker import leases, shutdown
from carebridge.worker.periodic import PeriodicRunner

logger = logging.getLogger(__name__)


class LeaseWorker(Worker):
    def __init__(
        self,
        *,
        queue_names: list[str],
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        max_tasks: int | None,
        worker_id: str,
        excluded_queue_names: list[str],
        periodic: PeriodicRunner,
    ) -> None:
        # The library's loop runs in batch mode, one task per call; these are the worker's own.
        super().__init__(
            queue_names=queue_names,
            interval=interval,
            batch=True,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        self.stop_when_idle = batch
        self.task_limit = max_tasks
        self.delay_start = startup_delay
        self.periodic = periodic

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        # Long tasks read this flag and hand their remaining work back.
        shutdown.request_stop()
        super().shutdown(signum, frame)

    def run(self) -> None:
        shutdown.clear_stop()
        leases.set_current_worker_id(self.worker_id)
        leases.register_worker(worker_id=self.worker_id)
        leases.forget_old_workers()
        logger.info("Worker %s started (lease %ss).", self.worker_id, leases.lease().seconds)
        try:
            if self.delay_start and self.interval:
                # Workers started together do not all poll at the same moment.
                time.sleep(random.random())
            self._loop()
        finally:
            leases.retire_worker(worker_id=self.worker_id)
            leases.set_current_worker_id("")
            logger.info("Worker %s stopped.", self.worker_id)

    def _loop(self) -> None:
        while self.running:
            self.tick()
            before = self._run_tasks
            self.max_tasks = before + 1
            super().run()
            ran = self._run_tasks > before
            if self.task_limit is not None and self._run_tasks >= self.task_limit:
                return
            if not ran and self.stop_when_idle:
                return
            if self.running and not ran:
                self.periodic.run_if_due()
                time.sleep(self.interval)

    def tick(self) -> None:
        """Renew this worker's lease and take back the tasks of workers gone silent."""
        try:
            leases.beat(worker_id=self.worker_id)
            leases.reclaim_lost_tasks(backend_name=self.backend_name)
        except DatabaseError as error:
            # A locked SQLite database or a lost connection: try again next tick.
            logger.warning("Worker tick failed: %s", type(error).__name__)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        every = leases.heartbeat_interval()
        with leases.beating(worker_id=self.worker_id, every=every):
            super().run_task(db_task_result)


class QuietLoopFilter(logging.Filter):
    """Drop the library's start and stop lines, which its loop logs once per task here."""

    NOISE = ("Starting worker", "No more tasks to run", "Run maximum tasks")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.NOISE)
