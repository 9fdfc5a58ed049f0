"""One row per running `carebridge worker` process: who it is and when it was last heard from."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """A worker's lease. A task claimed by a worker whose `last_seen` is older than the lease
    (`CAREBRIDGE_TASK_LEASE_SECONDS`) is taken back and run again by another worker."""

    # django-tasks-db's worker id (at most 64 characters), as written in `DBTaskResult.worker_ids`.
    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    # Set when the worker exits cleanly: it holds no task any more.
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.host} (pid {self.pid})"
