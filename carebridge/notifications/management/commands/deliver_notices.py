"""`carebridge deliver-notices`: deliver the outbox's due notices (retries, and notices whose
delivery task was lost). Run it every minute beside the task worker (`make run` does; see
docs/notices.md). Safe to run twice and from two servers at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from carebridge.notifications.services.delivery import deliver_due_notices


class Command(BaseCommand):
    help = "Deliver the queued notices whose next attempt has come."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = deliver_due_notices()
        self.stdout.write(_("Notices sent: %(sent)d.") % {"sent": sent})
