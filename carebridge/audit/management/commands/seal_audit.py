"""`carebridge seal-audit`: seal every event recorded but not sealed yet, then checkpoint.

The task worker seals every few seconds; this command is for cron, for a worker that is not
running, and for before `verify-audit` in a maintenance window. Safe to run at any time: only
one sealer works at once, and the others wait for it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carebridge.audit.services import seal_pending_events


class Command(BaseCommand):
    help = "Seal the audit events waiting for their seal and publish a checkpoint."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while sealed := seal_pending_events():
            total += sealed
        self.stdout.write(_("Sealed %(count)d audit events.") % {"count": total})
