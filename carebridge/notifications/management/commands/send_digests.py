"""`carebridge send-digests`: the daily e-mail for those who chose one e-mail a day at most.

Run it once a day (cron or a systemd timer; see docs/deployment.md). Safe to run twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.notifications.services import send_daily_digests


class Command(BaseCommand):
    help = "Send the daily e-mail to those who chose it and have something new waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_daily_digests(now=timezone.now())
        self.stdout.write(_("Daily e-mails sent: %(sent)d.") % {"sent": sent})
