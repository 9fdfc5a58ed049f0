"""Heartbeat leases: a worker says it is alive; tasks of a worker that went silent run again.

django-tasks-db marks a task RUNNING when a worker claims it and only that worker ever changes
it again, so a worker killed mid-task (SIGKILL, out of memory, a lost machine) leaves the task
RUNNING for ever. Each `carebridge worker` keeps a `WorkerHeartbeat` row fresh; any worker
sets a RUNNING task back to READY once its worker's row is older than the lease, or marks it
FAILED when it has been claimed `CAREBRIDGE_TASK_MAX_ATTEMPTS` times already.

Privacy rule: task arguments are never read or logged here; only task and worker ids are.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from carebridge.worker.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Rows of workers gone this long are deleted: they hold no task any more.
FORGET_AFTER = datetime.timedelta(days=7)
GAVE_UP = "carebridge.worker.leases.WorkerLost"

_current_worker_id = ""


def current_worker_id() -> str:
    """The id of the worker running in this process, or "" outside a worker."""
    return _current_worker_id


def set_current_worker_id(worker_id: str) -> None:
    global _current_worker_id
    _current_worker_id = worker_id


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.CAREBRIDGE_TASK_LEASE_SECONDS)


def heartbeat_interval() -> float:
    """How often a worker says it is alive: the setting, and at least three times a lease."""
    every = settings.CAREBRIDGE_WORKER_HEARTBEAT_SECONDS
    return float(min(every, settings.CAREBRIDGE_TASK_LEASE_SECONDS / 3))


def register_worker(*, worker_id: str) -> WorkerHeartbeat:
    """Start this worker's lease (or renew it under the same id)."""
    now = timezone.now()
    row, _created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": now,
            "last_seen": now,
            "stopped_at": None,
        },
    )
    return row


def beat(*, worker_id: str) -> None:
    """Renew the worker's lease."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=timezone.now())


def retire_worker(*, worker_id: str) -> None:
    """End the worker's lease on a clean exit: it holds no task any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(stopped_at=timezone.now())


def live_worker_ids(now: datetime.datetime | None = None) -> set[str]:
    """Workers heard from within the lease and not stopped."""
    cutoff = (now or timezone.now()) - lease()
    rows = WorkerHeartbeat.objects.filter(last_seen__gte=cutoff, stopped_at__isnull=True)
    return set(rows.values_list("worker_id", flat=True))


@dataclass
class Reclaimed:
    """What `reclaim_lost_tasks` did: task ids set READY again, and those given up (FAILED)."""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def reclaim_lost_tasks(*, backend_name: str, now: datetime.datetime | None = None) -> Reclaimed:
    """Take back RUNNING tasks whose worker registered a lease and has let it expire.

    Tasks claimed by workers that never registered (a plain `db_worker`) are left alone: their
    liveness is unknown. Each change is a conditional update on the claim's `started_at`, so two
    workers reclaiming at once change a task once.
    """
    now = now or timezone.now()
    live = live_worker_ids(now)
    known = set(WorkerHeartbeat.objects.values_list("worker_id", flat=True))
    done = Reclaimed()
    running = DBTaskResult.objects.running().filter(backend_name=backend_name)
    for result in running.only("id", "worker_ids", "started_at"):
        owner = result.worker_ids[-1] if result.worker_ids else ""
        if owner in live or owner not in known:
            continue
        if len(result.worker_ids) >= settings.CAREBRIDGE_TASK_MAX_ATTEMPTS:
            if _give_up(result, now):
                done.failed.append(str(result.pk))
        elif _requeue(result):
            done.requeued.append(str(result.pk))
    for task_id in done.requeued:
        logger.warning("Task %s: its worker stopped answering; queued again.", task_id)
    for task_id in done.failed:
        logger.error("Task %s: its workers stopped answering too often; failed.", task_id)
    return done


def _claim_unchanged(result: DBTaskResult) -> object:
    return DBTaskResult.objects.filter(
        pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
    )


def _requeue(result: DBTaskResult) -> bool:
    # `worker_ids` keeps every claim: its length is the number of attempts so far.
    changed = _claim_unchanged(result).update(status=TaskResultStatus.READY)  # type: ignore[attr-defined]
    return bool(changed)


def _give_up(result: DBTaskResult, now: datetime.datetime) -> bool:
    attempts = len(result.worker_ids)
    changed = _claim_unchanged(result).update(  # type: ignore[attr-defined]
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path=GAVE_UP,
        traceback=f"The task's worker stopped answering during each of {attempts} attempts.",
    )
    return bool(changed)


def forget_old_workers(now: datetime.datetime | None = None) -> int:
    """Delete the rows of workers not heard from for a week."""
    cutoff = (now or timezone.now()) - FORGET_AFTER
    deleted, _by_type = WorkerHeartbeat.objects.filter(last_seen__lt=cutoff).delete()
    return deleted


@contextmanager
def beating(*, worker_id: str, every: float) -> Iterator[None]:
    """Renew the worker's lease from a background thread while the body runs (a task)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat_until, args=(worker_id, every, stop), name="heartbeat", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _beat_until(worker_id: str, every: float, stop: threading.Event) -> None:
    try:
        while not stop.wait(every):
            try:
                beat(worker_id=worker_id)
            except Exception as error:
                # A missed beat is retried; the lease is several beats long.
                logger.warning("Heartbeat of worker %s failed: %s", worker_id, type(error).__name__)
                close_old_connections()
    finally:
        # This thread's own database connection.
        connection.close()
