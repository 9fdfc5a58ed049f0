"""`carebridge worker`: run background tasks with heartbeat leases and a graceful stop.

The options are django-tasks-db's `db_worker` options (queues, interval, batch, backend,
worker id...). See docs/deployment.md for running several workers, leases and stopping.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from carebridge.worker.periodic import PeriodicRunner, load_jobs
from carebridge.worker.runner import LeaseWorker, QuietLoopFilter


class Command(db_worker.Command):
    help = "Run the background task worker, with heartbeat leases and a graceful stop."

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        library = logging.getLogger("django_tasks_db")
        if not any(isinstance(f, QuietLoopFilter) for f in library.filters):
            library.addFilter(QuietLoopFilter())
        ours = logging.getLogger("carebridge.worker")
        ours.setLevel(library.level)
        if not ours.hasHandlers():
            ours.addHandler(logging.StreamHandler(self.stdout))

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        periodic = PeriodicRunner(
            load_jobs(settings.CAREBRIDGE_WORKER_PERIODIC),
            every=settings.CAREBRIDGE_WORKER_PERIODIC_SECONDS,
        )
        worker = LeaseWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            periodic=periodic,
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
