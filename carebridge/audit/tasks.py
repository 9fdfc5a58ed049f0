"""Background tasks of the audit trail: thin wrappers that call a service and are safe to repeat."""

from __future__ import annotations

from django_tasks import task

from carebridge.audit.services import seal_pending_events


@task()
def seal_audit_trail_task() -> int:
    """Seal up to one batch of unsealed audit events; return how many were sealed.

    Safe to run twice or from two workers: the sealer lock lets one seal at a time, and an
    event already sealed is never sealed again.
    """
    return seal_pending_events()
