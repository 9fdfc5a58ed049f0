"""`carebridge appointment-jobs`: the appointments' timed work, run every few minutes.

- Queues the reminder e-mails that are due (`CAREBRIDGE_REMINDER_HOURS` before each visit); the
  background worker (`carebridge worker`) sends them.
- Ends waitlist offers nobody answered in time and offers those times to the next people waiting.

Run it from cron or a systemd timer every 5 minutes (docs/deployment.md); `make run` runs it
every minute. Safe to run more often, late, or twice at once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.scheduling.services.reminders import queue_due_reminders
from carebridge.scheduling.services.waitlist import expire_offers


class Command(BaseCommand):
    help = "Queue the appointment reminders that are due and pass on expired waitlist offers."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        queued = queue_due_reminders(now=now)
        expired = expire_offers(now=now)
        self.stdout.write(
            _("Reminders queued: %(queued)d. Waitlist offers expired: %(expired)d.")
            % {"queued": queued, "expired": expired}
        )
