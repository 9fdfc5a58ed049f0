"""Background tasks of proxy access: thin wrappers that call a service and are safe to repeat."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from carebridge.proxies.services import end_lapsed_grants


@task()
def end_lapsed_grants_task() -> dict[str, int]:
    """End grants past their end date and parents' grants of patients now adult (run daily).

    Safe to run twice: ended grants are not ended or announced again.
    """
    counts = end_lapsed_grants(today=timezone.localdate())
    return {
        "expired": counts.expired,
        "came_of_age": counts.came_of_age,
        "invitations": counts.invitations,
    }
