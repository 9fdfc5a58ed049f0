"""The task worker on top of django-tasks-db: heartbeat leases, graceful stop, periodic work.

`carebridge worker` runs django-tasks-db's own worker loop one task at a time and, between
tasks, says it is alive, takes back tasks whose worker stopped answering (see `leases`), and
runs the periodic functions named in `CAREBRIDGE_WORKER_PERIODIC` (see `periodic`). A long
task reads `shutdown.is_stopping()` and hands its remaining work back when asked to stop.

Privacy rule: nothing here reads a task's arguments or results; logs name task ids only.
"""
